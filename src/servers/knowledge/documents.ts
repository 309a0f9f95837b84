/** `fetch` (one document, its chunks joined) and `list_collections`. */
import { SophiaError } from "../../shared/errors.ts";
import { joinChunks } from "./chunks.ts";
import type { SqlClient } from "./database.ts";
import { collections, documentChunks } from "./queries.ts";

export interface KnowledgeDocument {
  id: string;
  collection: string;
  key: string;
  text: string;
  chunks: number;
  metadata: Record<string, unknown>;
  updatedAt: string | null;
}

/** `public.docs:{"id":7}` → collection and key; the key is everything after the first colon. */
export function parseDocumentId(id: string): { collection: string; key: string } {
  const at = id.indexOf(":");
  if (at <= 0 || at === id.length - 1)
    throw new SophiaError("BUILTIN_REFUSED", `knowledge: "${id}" is not a document id`, {
      hint: 'pass the id a search result gave, such as public.docs:{"id":7}',
    });
  return { collection: id.slice(0, at), key: id.slice(at + 1) };
}

interface ChunkRow {
  source_table: string;
  key: string;
  chunk_index: number;
  content: string | null;
  metadata: Record<string, unknown>;
  updated_at: Date | string | null;
}

export async function fetchDocument(
  db: SqlClient,
  table: string,
  collection: string,
  key: string,
): Promise<KnowledgeDocument> {
  const statement = documentChunks(table, collection, key);
  const rows = (await db.query<ChunkRow>(statement.text, statement.values)).rows;
  const first = rows[0];
  if (first === undefined)
    throw new SophiaError("NOT_FOUND", `knowledge: no document ${collection}:${key}`, {
      hint: "it may have been deleted at the source; search again for current ids",
    });
  const own = rows.filter((row) => row.source_table === first.source_table);
  const updated = own.map((row) => row.updated_at).filter((value) => value !== null);
  const latest = updated
    .map((value) => new Date(value).toISOString())
    .sort()
    .at(-1);
  return {
    id: `${first.source_table}:${first.key}`,
    collection: first.source_table,
    key: first.key,
    text: joinChunks(own.flatMap((row) => (row.content === null ? [] : [row.content]))),
    chunks: own.length,
    metadata: first.metadata,
    updatedAt: latest ?? null,
  };
}

export interface Collection {
  name: string;
  documents: number;
  chunks: number;
  updatedAt: string | null;
}

export async function listCollections(db: SqlClient, table: string): Promise<Collection[]> {
  const statement = collections(table);
  const rows = (
    await db.query<{
      source_table: string;
      documents: number;
      chunks: number;
      updated_at: Date | string | null;
    }>(statement.text, statement.values)
  ).rows;
  return rows.map((row) => ({
    name: row.source_table,
    documents: Number(row.documents),
    chunks: Number(row.chunks),
    updatedAt: row.updated_at === null ? null : new Date(row.updated_at).toISOString(),
  }));
}
