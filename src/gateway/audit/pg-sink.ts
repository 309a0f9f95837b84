import type pg from "pg";
import { lazyModule } from "../../shared/lazy-module.ts";
import type { AuditSink } from "./queue.ts";
import type { AuditRecord } from "./record.ts";

const loadPg = lazyModule<typeof pg>("pg");

export interface PgSinkOptions {
  url: string;
  /** Table name, optionally schema-qualified (`audit.sophia_audit`). */
  table: string;
}

const COLUMNS = [
  "time",
  "request_id",
  "subject",
  "method",
  "key_id",
  "server",
  "kind",
  "name",
  "outcome",
  "latency_ms",
  "error",
  "arguments",
] as const;

/** Quotes each part of a possibly schema-qualified name. */
export function quoteTable(table: string): string {
  return table
    .split(".")
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join(".");
}

/** Rows batched into one multi-row INSERT into sophia_audit (created on first use). */
export class PgAuditSink implements AuditSink {
  readonly kind = "postgres";
  readonly #pool: pg.Pool;
  readonly #table: string;
  #created: Promise<void> | undefined;

  constructor(options: PgSinkOptions) {
    this.#pool = new (loadPg().Pool)({ connectionString: options.url, max: 2 });
    // A lost connection is reported by the failing write; an idle error must not crash the process.
    this.#pool.on("error", () => undefined);
    this.#table = quoteTable(options.table);
  }

  async write(batch: readonly AuditRecord[]): Promise<void> {
    if (batch.length === 0) return;
    this.#created ??= this.#create().catch((error: unknown) => {
      this.#created = undefined;
      throw error;
    });
    await this.#created;
    const values: unknown[] = [];
    const rows = batch.map((record, row) => {
      values.push(
        record.time,
        record.requestId ?? null,
        record.subject,
        record.method,
        record.keyId ?? null,
        record.server,
        record.kind,
        record.name,
        record.outcome,
        record.latencyMs,
        record.error ?? null,
        record.arguments === undefined ? null : JSON.stringify(record.arguments),
      );
      const base = row * COLUMNS.length;
      return `(${COLUMNS.map((_, column) => `$${base + column + 1}`).join(",")})`;
    });
    await this.#pool.query(
      `INSERT INTO ${this.#table} (${COLUMNS.join(",")}) VALUES ${rows.join(",")}`,
      values,
    );
  }

  close(): Promise<void> {
    return this.#pool.end();
  }

  #create(): Promise<void> {
    return this.#pool
      .query(`CREATE TABLE IF NOT EXISTS ${this.#table} (
        id bigserial PRIMARY KEY,
        time timestamptz NOT NULL,
        request_id text,
        subject text NOT NULL,
        method text NOT NULL,
        key_id text,
        server text NOT NULL,
        kind text NOT NULL,
        name text NOT NULL,
        outcome text NOT NULL,
        latency_ms double precision NOT NULL,
        error text,
        arguments jsonb
      )`)
      .then(() => undefined);
  }
}
