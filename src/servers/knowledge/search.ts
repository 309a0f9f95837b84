/** `search`: vector, full-text or hybrid (reciprocal rank fusion), best chunk per document. */
import type { SqlClient } from "./database.ts";
import { type Ranked, reciprocalRankFusion } from "./fusion.ts";
import type { SearchMode } from "./options.ts";
import { orQuery, type Scope, textSearch, vectorSearch } from "./queries.ts";

/** What the knowledge server needs of an embedder (the flow's embedders fit). */
export interface QueryEmbedder {
  readonly name: string;
  readonly dimensions: number | undefined;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

export interface SearchSettings {
  table: string;
  textSearch: string;
  candidates: number;
  rrfK: number;
}

export interface SearchRequest extends Scope {
  query: string;
  topK: number;
  mode: SearchMode;
}

export interface SearchHit {
  /** `<source table>:<key>`, what `fetch` takes. */
  id: string;
  collection: string;
  key: string;
  chunk: number;
  text: string;
  score: number;
  metadata: Record<string, unknown>;
}

interface ChunkRow {
  source_table: string;
  key: string;
  chunk_index: number;
  content: string | null;
  metadata: Record<string, unknown>;
  score: number | string;
}

const chunkId = (row: ChunkRow) => `${row.source_table}\u0000${row.key}\u0000${row.chunk_index}`;

async function vectorRanked(
  db: SqlClient,
  embedder: QueryEmbedder,
  settings: SearchSettings,
  request: SearchRequest,
  limit: number,
): Promise<ChunkRow[]> {
  const [vector] = await embedder.embed([request.query]);
  if (vector === undefined || vector.every((x) => x === 0)) return [];
  const statement = vectorSearch(settings.table, vector, request, limit);
  return (await db.query<ChunkRow>(statement.text, statement.values)).rows;
}

async function textRanked(
  db: SqlClient,
  settings: SearchSettings,
  request: SearchRequest,
  limit: number,
): Promise<ChunkRow[]> {
  const query = orQuery(request.query);
  if (query === undefined) return [];
  const statement = textSearch(settings.table, settings.textSearch, query, request, limit);
  return (await db.query<ChunkRow>(statement.text, statement.values)).rows;
}

function hitOf(row: ChunkRow, score: number): SearchHit {
  return {
    id: `${row.source_table}:${row.key}`,
    collection: row.source_table,
    key: row.key,
    chunk: row.chunk_index,
    text: row.content ?? "",
    score,
    metadata: row.metadata,
  };
}

/** Keeps each document's best chunk, in rank order, up to `topK`. */
function bestPerDocument(ranked: { row: ChunkRow; score: number }[], topK: number): SearchHit[] {
  const seen = new Set<string>();
  const hits: SearchHit[] = [];
  for (const { row, score } of ranked) {
    const id = `${row.source_table}:${row.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    hits.push(hitOf(row, score));
    if (hits.length === topK) break;
  }
  return hits;
}

export async function searchKnowledge(
  db: SqlClient,
  embedder: QueryEmbedder,
  settings: SearchSettings,
  request: SearchRequest,
): Promise<SearchHit[]> {
  const limit = Math.max(settings.candidates, request.topK * 4);
  const [vector, text] = await Promise.all([
    request.mode === "text" ? [] : vectorRanked(db, embedder, settings, request, limit),
    request.mode === "vector" ? [] : textRanked(db, settings, request, limit),
  ]);
  if (request.mode !== "hybrid") {
    const rows = request.mode === "vector" ? vector : text;
    return bestPerDocument(
      rows.map((row) => ({ row, score: Number(row.score) })),
      request.topK,
    );
  }
  const lists = [vector, text].map((rows) =>
    rows.map((row): Ranked<ChunkRow> => ({ id: chunkId(row), item: row })),
  );
  const fused = reciprocalRankFusion(lists, settings.rrfK);
  return bestPerDocument(
    fused.map((f) => ({ row: f.item, score: f.score })),
    request.topK,
  );
}
