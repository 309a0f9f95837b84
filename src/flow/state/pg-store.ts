/** State in PostgreSQL: table <schema>.state (flow, key) → jsonb; default schema sophia_flow. */
import pg from "pg";
import { SophiaError } from "../../shared/errors.ts";
import type { Json, StateStore } from "./store.ts";

export class PgStateStore implements StateStore {
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #schema: string;

  constructor(connectionString: string, schema: string) {
    // One or two connections are plenty: checkpoint writes are coalesced by the engine.
    this.#pool = new pg.Pool({ connectionString, max: 2 });
    this.#pool.on("error", () => undefined);
    this.#schema = pg.escapeIdentifier(schema);
    this.#table = `${this.#schema}.state`;
  }

  async open(): Promise<void> {
    await this.#query(
      `CREATE SCHEMA IF NOT EXISTS ${this.#schema};
       CREATE TABLE IF NOT EXISTS ${this.#table} (
         flow text NOT NULL, key text NOT NULL, value jsonb NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (flow, key))`,
      [],
    );
  }

  async get(flow: string, key: string): Promise<Json | undefined> {
    const result = await this.#query(
      `SELECT value FROM ${this.#table} WHERE flow = $1 AND key = $2`,
      [flow, key],
    );
    return result.rows[0]?.value as Json | undefined;
  }

  async set(flow: string, key: string, value: Json): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#table} (flow, key, value) VALUES ($1, $2, $3)
       ON CONFLICT (flow, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [flow, key, JSON.stringify(value)],
    );
  }

  async list(flow: string, prefix: string): Promise<Map<string, Json>> {
    const result = await this.#query(
      `SELECT key, value FROM ${this.#table} WHERE flow = $1 AND starts_with(key, $2) ORDER BY key`,
      [flow, prefix],
    );
    return new Map(result.rows.map((row) => [row.key as string, row.value as Json]));
  }

  async delete(flow: string, key: string): Promise<void> {
    await this.#query(`DELETE FROM ${this.#table} WHERE flow = $1 AND key = $2`, [flow, key]);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #query(text: string, values: unknown[]): Promise<pg.QueryResult> {
    try {
      return await this.#pool.query(text, values);
    } catch (error) {
      throw new SophiaError(
        "FLOW_STATE",
        `flow state in PostgreSQL (${this.#table}): ${(error as Error).message}`,
        {
          hint: "the state database must be reachable and the role allowed to create the schema (or set state: { dir: ... })",
          cause: error,
        },
      );
    }
  }
}
