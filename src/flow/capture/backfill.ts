/**
 * Backfill: a chunked snapshot of one table, consistent with the stream and
 * resumable. Each chunk: low watermark message, rows after the last key in
 * key order, high watermark message; the stream turns the chunk into `read`
 * events at the high watermark (backfill-window.ts).
 */
import type pg from "pg";
import { SophiaError } from "../../shared/errors.ts";
import type { Row } from "../events.ts";
import type { Lsn } from "../lsn.ts";
import { quoteIdent, quoteTable, splitTable } from "./sql.ts";
import { parserFor } from "./values.ts";

export const WATERMARK_PREFIX = "sophia.watermark";

export interface BackfillProgress {
  /** "schema.table" */
  table: string;
  /** Key of the last row read; undefined before the first chunk. */
  lastKey: Row | undefined;
  rowsDone: number;
  /** pg_class.reltuples when the backfill started (an estimate; -1 when never analysed). */
  estimatedRows: number;
  done: boolean;
  /**
   * Persist this progress only once the engine has acknowledged a checkpoint
   * at or after this position: the chunk's `read` events are durable then.
   */
  durableAfter: Lsn;
}

export interface BackfillOptions {
  /** "schema.table": one of the captured tables. */
  table: string;
  /** Rows per chunk (default 1,000). */
  chunkSize?: number;
  /** Progress saved by a previous run: the backfill starts after its lastKey. */
  resumeFrom?: BackfillProgress;
  /** Called after each chunk's rows are in the stream. */
  onProgress?(progress: BackfillProgress): Promise<void> | void;
}

/** Reads one chunk as text and converts it like stream values. */
export async function readChunk(
  db: pg.ClientBase,
  qualified: string,
  keyColumns: readonly string[],
  after: Row | undefined,
  limit: number,
): Promise<Row[]> {
  const keys = keyColumns.map(quoteIdent).join(", ");
  const where =
    after === undefined
      ? ""
      : `WHERE (${keys}) > (${keyColumns.map((_, i) => `$${i + 1}`).join(", ")})`;
  const params = after === undefined ? [] : keyColumns.map((c) => String(after[c]));
  const result = await db.query({
    text: `SELECT * FROM ${quoteTable(qualified)} ${where} ORDER BY ${keys} LIMIT ${Math.floor(limit)}`,
    values: params,
    types: { getTypeParser: () => (value: string) => value },
  });
  const parsers = result.fields.map((f) => parserFor(f.dataTypeID));
  return result.rows.map((raw: Record<string, string | null>) => {
    const row: Row = {};
    result.fields.forEach((field, i) => {
      const value = raw[field.name];
      row[field.name] =
        value === null || value === undefined
          ? null
          : (parsers[i] as (t: string) => unknown)(value);
    });
    return row;
  });
}

export async function estimateRows(db: pg.ClientBase, qualified: string): Promise<number> {
  const { schema, table } = splitTable(qualified);
  const { rows } = await db.query<{ n: number }>(
    `SELECT c.reltuples::float8 AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
     WHERE s.nspname = $1 AND c.relname = $2`,
    [schema, table],
  );
  return rows[0]?.n ?? -1;
}

export function noKeyForBackfill(table: string): SophiaError {
  return new SophiaError(
    "FLOW_SOURCE_NOT_READY",
    `table ${table} has no primary key or replica identity index, so it cannot be read in key order for a backfill`,
    {
      hint: `add a primary key to ${table}`,
    },
  );
}
