/**
 * Multi-row statements for the chunk table. Rows travel as arrays (unnest)
 * or one jsonb array per statement; every statement carries the LSN fence so a late redelivery
 * never replaces a newer version of a key.
 */
import { formatLsn } from "../../lsn.ts";
import { stringify } from "../shared/event-json.ts";
import type { KeyAction } from "./plan.ts";

export type { EmbeddingColumn } from "./upsert.ts";
export { upsertChunks } from "./upsert.ts";

export interface Statement {
  text: string;
  values: unknown[];
}

type ColumnType = "vector" | "real[]";

export function tableDdl(table: string, dimensions: number, columnType: ColumnType): string {
  const embedding = columnType === "vector" ? `vector(${dimensions})` : "real[]";
  return `CREATE TABLE IF NOT EXISTS ${table} (
  source_table text NOT NULL,
  key text NOT NULL,
  chunk_index int NOT NULL,
  content text,
  embedding ${embedding},
  metadata jsonb NOT NULL,
  content_hash text,
  lsn pg_lsn NOT NULL,
  seq int NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_table, key, chunk_index))`;
}

const MATCH = "t.source_table = x.source_table AND t.key = x.key";
export const FENCE = "(t.lsn, t.seq) < (x.lsn, x.seq)";
const AT = "lsn pg_lsn, seq int";

function at(action: KeyAction) {
  return {
    source_table: action.table,
    key: action.key,
    lsn: formatLsn(action.at.lsn),
    seq: action.at.seq,
  };
}

/** Removes chunks at or past each upserted key's new chunk count. */
export function trimChunks(table: string, actions: KeyAction[]): Statement {
  const rows = actions.flatMap((a) =>
    a.type === "upsert" ? [{ ...at(a), count: a.chunks.length }] : [],
  );
  const text = `DELETE FROM ${table} AS t USING jsonb_to_recordset($1::jsonb) AS x(source_table text, key text, count int, ${AT})
WHERE ${MATCH} AND t.chunk_index >= x.count AND ${FENCE}`;
  return { text, values: [stringify(rows)] };
}

export function deleteKeys(table: string, actions: KeyAction[]): Statement {
  const rows = actions.filter((a) => a.type === "delete").map(at);
  const text = `DELETE FROM ${table} AS t USING jsonb_to_recordset($1::jsonb) AS x(source_table text, key text, ${AT})
WHERE ${MATCH} AND ${FENCE}`;
  return { text, values: [stringify(rows)] };
}

export function updateMetadata(table: string, actions: KeyAction[]): Statement {
  const rows = actions.flatMap((a) =>
    a.type === "metadata" ? [{ ...at(a), metadata: a.metadata }] : [],
  );
  const text = `UPDATE ${table} AS t SET metadata = x.metadata, lsn = x.lsn, seq = x.seq, updated_at = now()
FROM jsonb_to_recordset($1::jsonb) AS x(source_table text, key text, metadata jsonb, ${AT})
WHERE ${MATCH} AND ${FENCE}`;
  return { text, values: [stringify(rows)] };
}
