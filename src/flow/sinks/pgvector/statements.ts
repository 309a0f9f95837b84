/**
 * Multi-row statements for the chunk table. Rows travel as arrays (unnest)
 * or one jsonb array per statement; every statement carries the LSN fence so a late redelivery
 * never replaces a newer version of a key.
 */
import { formatLsn } from "../../lsn.ts";
import { stringify } from "../shared/event-json.ts";
import { packEmbeddings } from "./float4-array.ts";
import type { KeyAction } from "./plan.ts";
import { packVectors } from "./vector-array.ts";

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
const FENCE = "(t.lsn, t.seq) < (x.lsn, x.seq)";
const AT = "lsn pg_lsn, seq int";

function at(action: KeyAction) {
  return {
    source_table: action.table,
    key: action.key,
    lsn: formatLsn(action.at.lsn),
    seq: action.at.seq,
  };
}

/**
 * How embeddings travel: `real[]` as one flat float4[] that each row slices
 * by its slot; `vector` as a vector[] (needs the type's OID, looked up at
 * start) that unnest pairs with the rows.
 */
export type EmbeddingColumn =
  | { type: "real[]"; dimensions: number }
  | { type: "vector"; dimensions: number; oid: number };

function embeddingParams(
  embeddings: Array<number[] | null>,
  column: EmbeddingColumn,
): { values: unknown[]; expression: string } {
  if (column.type === "vector") {
    return {
      values: [packVectors(embeddings, column.dimensions, column.oid)],
      expression: "x.embedding",
    };
  }
  const packed = packEmbeddings(embeddings, column.dimensions);
  const slice = "($10::real[])[x.slot * $11::int + 1 : (x.slot + 1) * $11::int]";
  return {
    values: [packed.slots, packed.array, column.dimensions],
    expression: `CASE WHEN x.slot IS NULL THEN NULL ELSE ${slice} END`,
  };
}

/** Chunks travel as parallel arrays through unnest, embeddings in binary (see above). */
export function upsertChunks(
  table: string,
  actions: KeyAction[],
  column: EmbeddingColumn,
): Statement {
  const cols: unknown[][] = [[], [], [], [], [], [], [], []];
  const embeddings: Array<number[] | null> = [];
  for (const a of actions) {
    if (a.type !== "upsert") continue;
    const metadata = stringify(a.metadata);
    const lsn = formatLsn(a.at.lsn);
    for (const c of a.chunks) {
      const row = [a.table, a.key, c.index, c.content, metadata, c.contentHash, lsn, a.at.seq];
      for (const [i, value] of row.entries()) cols[i]!.push(value);
      embeddings.push(c.embedding);
    }
  }
  const embedding = embeddingParams(embeddings, column);
  const last = column.type === "vector" ? "$9::vector[]" : "$9::int[]";
  const name = column.type === "vector" ? "embedding" : "slot";
  // A key already stored at a newer position gets no stale extra chunks. A
  // LIMIT 1 subquery, not NOT EXISTS: that one may become a hash anti-join that
  // reads the whole table on every batch; this one is an index probe per chunk.
  const text = `INSERT INTO ${table} AS t (source_table, key, chunk_index, content, embedding, metadata, content_hash, lsn, seq)
SELECT x.source_table, x.key, x.chunk_index, x.content, ${embedding.expression},
  x.metadata::jsonb, x.content_hash, x.lsn::pg_lsn, x.seq
FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], ${last})
  AS x(source_table, key, chunk_index, content, metadata, content_hash, lsn, seq, ${name})
WHERE (SELECT 1 FROM ${table} s WHERE s.source_table = x.source_table AND s.key = x.key
  AND (s.lsn, s.seq) >= (x.lsn::pg_lsn, x.seq) LIMIT 1) IS NULL
ON CONFLICT (source_table, key, chunk_index) DO UPDATE SET content = EXCLUDED.content,
  embedding = EXCLUDED.embedding, metadata = EXCLUDED.metadata, content_hash = EXCLUDED.content_hash,
  lsn = EXCLUDED.lsn, seq = EXCLUDED.seq, updated_at = now()
WHERE ${FENCE.replaceAll("x.", "EXCLUDED.")}`;
  return { text, values: [...cols, ...embedding.values] };
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
