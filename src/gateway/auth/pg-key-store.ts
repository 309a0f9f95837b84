/**
 * API keys in PostgreSQL (table `sophia_api_keys` in a configured schema),
 * for gateways that run as several replicas. Lookups are cached per key id
 * for `cacheTtlMs`: a key revoked with `sophia keys revoke` is refused by
 * every replica within that time (5 s by default), without a query per request.
 */
import pg from "pg";
import { SophiaError } from "../../shared/errors.ts";
import type { ApiKeyRecord } from "./api-key.ts";
import type { KeyStore } from "./key-store.ts";

export const KEY_TABLE = "sophia_api_keys";
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MAX_CACHED = 10_000;

export interface PgKeyStoreOptions {
  url: string;
  schema?: string;
  cacheTtlMs?: number;
}

interface Row {
  id: string;
  name: string;
  hash: string;
  scopes: string[];
  roles: string[];
  created: Date;
  expires: Date | null;
  revoked: Date | null;
}

function toRecord(row: Row): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    scopes: row.scopes,
    roles: row.roles,
    created: row.created.toISOString(),
    ...(row.expires ? { expires: row.expires.toISOString() } : {}),
    ...(row.revoked ? { revoked: row.revoked.toISOString() } : {}),
  };
}

export class PgKeyStore implements KeyStore {
  /** Where the keys are, for messages (no password). */
  readonly description: string;
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #schema: string;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { record: ApiKeyRecord | undefined; at: number }>();
  #ready: Promise<void> | undefined;

  constructor(options: PgKeyStoreOptions) {
    const schema = options.schema ?? "public";
    if (!IDENTIFIER.test(schema))
      throw new SophiaError("CONFIG_INVALID", `"${schema}" is not a valid PostgreSQL schema name`, {
        hint: "use letters, digits and _ (gateway.auth.apiKeys.schema or --schema)",
      });
    this.#schema = schema;
    this.#table = `"${schema}"."${KEY_TABLE}"`;
    this.#ttlMs = options.cacheTtlMs ?? 5000;
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: 4,
      connectionTimeoutMillis: 5000,
    });
    // An idle connection that drops is replaced on next use; it must not crash the gateway.
    this.#pool.on("error", () => {});
    this.description = `PostgreSQL ${safeUrl(options.url)} table ${schema}.${KEY_TABLE}`;
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const now = Date.now();
    const cached = this.#cache.get(id);
    if (cached && now - cached.at < this.#ttlMs) return cached.record;
    const rows = await this.#query<Row>(`SELECT * FROM ${this.#table} WHERE id = $1`, [id]);
    const record = rows[0] && toRecord(rows[0]);
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    this.#cache.set(id, { record, at: now });
    return record;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.#query<Row>(`SELECT * FROM ${this.#table} ORDER BY created, id`);
    return rows.map(toRecord);
  }

  async add(record: ApiKeyRecord): Promise<void> {
    try {
      await this.#query(
        `INSERT INTO ${this.#table} (id, name, hash, scopes, roles, created, expires, revoked)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          record.id,
          record.name,
          record.hash,
          record.scopes,
          record.roles,
          record.created,
          record.expires ?? null,
          record.revoked ?? null,
        ],
      );
    } catch (error) {
      if ((error as { code?: string }).code === "23505")
        throw new SophiaError("USAGE", `an active API key named "${record.name}" already exists`, {
          hint: "pick another --name, or revoke the old key first",
        });
      throw error;
    }
  }

  async revoke(idOrName: string, now = new Date()): Promise<ApiKeyRecord> {
    // By id first; else the active key of that name.
    const rows = await this.#query<Row>(
      `UPDATE ${this.#table} SET revoked = COALESCE(revoked, $2)
        WHERE id = (SELECT id FROM ${this.#table}
                     WHERE id = $1 OR (name = $1 AND revoked IS NULL)
                     ORDER BY (id = $1) DESC LIMIT 1)
        RETURNING *`,
      [idOrName, now],
    );
    if (!rows[0])
      throw new SophiaError("KEY_NOT_FOUND", `no API key with id or name "${idOrName}"`, {
        hint: "`sophia keys list` shows the keys",
      });
    this.#cache.delete(rows[0].id);
    return toRecord(rows[0]);
  }

  close(): Promise<void> {
    return this.#pool.end();
  }

  async #query<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]> {
    this.#ready ??= this.#createTable().catch((error: unknown) => {
      this.#ready = undefined; // try again on the next call
      throw error;
    });
    await this.#ready;
    try {
      return (await this.#pool.query<T>(text, values)).rows;
    } catch (error) {
      throw this.#unavailable(error);
    }
  }

  async #createTable(): Promise<void> {
    try {
      await this.#pool.query(`CREATE SCHEMA IF NOT EXISTS "${this.#schema}"`);
      await this.#pool.query(
        `CREATE TABLE IF NOT EXISTS ${this.#table} (
           id text PRIMARY KEY,
           name text NOT NULL,
           hash text NOT NULL,
           scopes text[] NOT NULL DEFAULT '{}',
           roles text[] NOT NULL DEFAULT '{}',
           created timestamptz NOT NULL,
           expires timestamptz,
           revoked timestamptz)`,
      );
      // One active key per name, so revoke-by-name is unambiguous.
      await this.#pool.query(
        `CREATE UNIQUE INDEX IF NOT EXISTS ${KEY_TABLE}_active_name
           ON ${this.#table} (name) WHERE revoked IS NULL`,
      );
    } catch (error) {
      throw this.#unavailable(error);
    }
  }

  #unavailable(error: unknown): unknown {
    if ((error as { code?: string }).code === "23505") return error;
    return new SophiaError(
      "AUTH_INVALID",
      `cannot use the API key store ${this.description}: ${(error as Error).message}`,
      {
        hint: "check that PostgreSQL is reachable and the URL, user and schema are right",
        cause: error,
      },
    );
  }
}

/** The URL without its password, for messages. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(invalid URL)";
  }
}
