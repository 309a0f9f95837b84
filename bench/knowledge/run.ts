/**
 * `npm run bench:knowledge`: indexes bench/knowledge/data.ts with the local
 * embedder into an in-memory PGlite (pgvector), then prints recall@5 and
 * mean reciprocal rank of vector, full-text and hybrid search side by side.
 */
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { createLocalEmbedder } from "../../src/flow/embed/index.ts";
import {
  knowledgeTableDdl,
  type SearchMode,
  type SqlClient,
  searchKnowledge,
} from "../../src/servers/index.ts";
import { DOCS, QUERIES } from "./data.ts";

const TABLE = "public.sophia_embeddings";
const K = 5;
const embedder = createLocalEmbedder();

async function index(db: SqlClient): Promise<void> {
  await db.query("CREATE EXTENSION IF NOT EXISTS vector");
  await db.query(knowledgeTableDdl(TABLE, embedder.dimensions ?? 384));
  const vectors = await embedder.embed(DOCS.map((doc) => doc.text));
  for (const [i, doc] of DOCS.entries()) {
    await db.query(
      `INSERT INTO ${TABLE} (source_table, key, chunk_index, content, embedding, metadata, lsn, seq)
       VALUES ('public.docs', $1, 0, $2, $3::vector, $4::jsonb, '0/1', 0)`,
      [
        JSON.stringify({ id: doc.id }),
        doc.text,
        `[${vectors[i]!.join(",")}]`,
        JSON.stringify({ topic: doc.topic }),
      ],
    );
  }
}

async function measure(db: SqlClient, mode: SearchMode) {
  let recall = 0;
  let reciprocal = 0;
  const started = performance.now();
  for (const { query, relevant } of QUERIES) {
    const hits = await searchKnowledge(
      db,
      embedder,
      { table: TABLE, textSearch: "english", candidates: 50, rrfK: 60 },
      { query, topK: K, mode },
    );
    const ids = hits.map((hit) => (JSON.parse(hit.key) as { id: string }).id);
    recall += relevant.filter((id) => ids.includes(id)).length / relevant.length;
    const first = ids.findIndex((id) => relevant.includes(id));
    reciprocal += first === -1 ? 0 : 1 / (first + 1);
  }
  const ms = (performance.now() - started) / QUERIES.length;
  return { mode, recall: recall / QUERIES.length, mrr: reciprocal / QUERIES.length, ms };
}

const db = await PGlite.create({ extensions: { vector } });
try {
  await index(db);
  const rows = [];
  for (const mode of ["vector", "text", "hybrid"] as const) rows.push(await measure(db, mode));
  process.stdout.write(
    `knowledge search: ${DOCS.length} documents, ${QUERIES.length} queries, local embedder (${embedder.name}), PGlite\n`,
  );
  process.stdout.write("mode     recall@5   MRR     ms/query\n");
  for (const row of rows)
    process.stdout.write(
      `${row.mode.padEnd(8)} ${row.recall.toFixed(3).padStart(8)}   ${row.mrr.toFixed(3)}   ${row.ms.toFixed(1).padStart(6)}\n`,
    );
} finally {
  await db.close();
}
