/** Documents written into a knowledge table the way the flow's pgvector sink writes them. */
import { hashEmbed } from "../../src/flow/embed/index.ts";
import { knowledgeTableDdl, type SqlClient } from "../../src/servers/index.ts";

export interface FixtureDoc {
  table: string;
  key: Record<string, unknown>;
  chunks: string[];
  metadata: Record<string, unknown>;
}

export const DIMENSIONS = 384;

export async function writeDocs(db: SqlClient, table: string, docs: FixtureDoc[]): Promise<void> {
  await db.query("CREATE EXTENSION IF NOT EXISTS vector");
  await db.query(knowledgeTableDdl(table, DIMENSIONS));
  for (const doc of docs) {
    for (const [index, content] of doc.chunks.entries()) {
      await db.query(
        `INSERT INTO ${table} (source_table, key, chunk_index, content, embedding, metadata, lsn, seq)
         VALUES ($1, $2, $3, $4, $5::vector, $6::jsonb, '0/1', 0)`,
        [
          doc.table,
          JSON.stringify(doc.key),
          index,
          content,
          `[${hashEmbed(content, DIMENSIONS).join(",")}]`,
          JSON.stringify(doc.metadata),
        ],
      );
    }
  }
}
