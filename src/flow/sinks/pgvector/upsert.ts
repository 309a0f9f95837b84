/**
 * The chunk upsert: one statement per batch, every chunk's values as
 * parallel arrays through one unnest (no join: with the fence below, the
 * planner misjudges a key-to-chunk join and loops), embeddings in binary.
 */
import { formatLsn } from "../../lsn.ts";
import { stringify } from "../shared/event-json.ts";
import { packEmbeddings } from "./float4-array.ts";
import type { KeyAction } from "./plan.ts";
import type { Statement } from "./statements.ts";
import { packVectors } from "./vector-array.ts";

/**
 * How embeddings travel: `real[]` as one flat float4[] that each row slices
 * by its slot; `vector` as a vector[] (needs the type's OID, looked up at
 * start) that unnest pairs with the chunks.
 */
export type EmbeddingColumn =
  | { type: "real[]"; dimensions: number }
  | { type: "vector"; dimensions: number; oid: number };

interface EmbeddingSql {
  values: unknown[];
  /** The last chunk column: its parameter and its name; the embedding as SQL. */
  parameter: string;
  name: string;
  expression: string;
}

function embeddingSql(embeddings: Array<number[] | null>, column: EmbeddingColumn): EmbeddingSql {
  if (column.type === "vector") {
    return {
      values: [packVectors(embeddings, column.dimensions, column.oid)],
      parameter: "$9::vector[]",
      name: "embedding",
      expression: "c.embedding",
    };
  }
  const packed = packEmbeddings(embeddings, column.dimensions);
  const slice = "($10::real[])[c.slot * $11::int + 1 : (c.slot + 1) * $11::int]";
  return {
    values: [packed.slots, packed.array, column.dimensions],
    parameter: "$9::int[]",
    name: "slot",
    expression: `CASE WHEN c.slot IS NULL THEN NULL ELSE ${slice} END`,
  };
}

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
  const embedding = embeddingSql(embeddings, column);
  // A key already stored at a newer position gets no stale extra chunks. A
  // LIMIT 1 subquery, not NOT EXISTS: that one may become a hash anti-join that
  // reads the whole table on every batch; this one is an index probe per chunk.
  const text = `INSERT INTO ${table} AS t (source_table, key, chunk_index, content, embedding, metadata, content_hash, lsn, seq)
SELECT c.source_table, c.key, c.chunk_index, c.content, ${embedding.expression}, c.metadata, c.content_hash, c.lsn, c.seq
FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::text[], $7::pg_lsn[], $8::int[], ${embedding.parameter})
  AS c(source_table, key, chunk_index, content, metadata, content_hash, lsn, seq, ${embedding.name})
WHERE (SELECT 1 FROM ${table} s WHERE s.source_table = c.source_table AND s.key = c.key
  AND (s.lsn, s.seq) >= (c.lsn, c.seq) LIMIT 1) IS NULL
ON CONFLICT (source_table, key, chunk_index) DO UPDATE SET content = EXCLUDED.content,
  embedding = EXCLUDED.embedding, metadata = EXCLUDED.metadata, content_hash = EXCLUDED.content_hash,
  lsn = EXCLUDED.lsn, seq = EXCLUDED.seq, updated_at = now()
WHERE (t.lsn, t.seq) < (EXCLUDED.lsn, EXCLUDED.seq)`;
  return { text, values: [...cols, ...embedding.values] };
}
