/**
 * The SQL of the knowledge server, the same text for PostgreSQL with pgvector
 * and for PGlite. Everything a caller supplies travels as a parameter; only
 * the table name and the text search configuration (both validated
 * configuration) are spliced in.
 */

export interface Statement {
  text: string;
  values: unknown[];
}

/** Search scope: a collection (source table, with or without its schema) and metadata equality. */
export interface Scope {
  collection?: string | undefined;
  filter?: Record<string, string | number | boolean | null> | undefined;
}

const COLUMNS = "source_table, key, chunk_index, content, metadata";

function scopeSql(first: number): string {
  return `($${first}::text IS NULL OR source_table = $${first} OR split_part(source_table, '.', 2) = $${first})
  AND metadata @> $${first + 1}::jsonb`;
}

function scopeValues(scope: Scope): unknown[] {
  return [scope.collection ?? null, JSON.stringify(scope.filter ?? {})];
}

/** Nearest chunks by cosine distance; score = cosine similarity. */
export function vectorSearch(table: string, vector: number[], scope: Scope, limit: number) {
  const text = `SELECT ${COLUMNS}, 1 - (embedding <=> $1::vector) AS score
FROM ${table}
WHERE embedding IS NOT NULL AND ${scopeSql(2)}
ORDER BY embedding <=> $1::vector, source_table, key, chunk_index
LIMIT $4`;
  return { text, values: [`[${vector.join(",")}]`, ...scopeValues(scope), limit] };
}

/** Chunks matching any word of the query, ranked by ts_rank (more and rarer words rank higher). */
export function textSearch(
  table: string,
  config: string,
  query: string,
  scope: Scope,
  limit: number,
): Statement {
  const doc = `to_tsvector('${config}', content)`;
  const text = `SELECT ${COLUMNS}, ts_rank(${doc}, q) AS score
FROM ${table}, to_tsquery('${config}', $1) AS q
WHERE content IS NOT NULL AND ${doc} @@ q AND ${scopeSql(2)}
ORDER BY score DESC, source_table, key, chunk_index
LIMIT $4`;
  return { text, values: [query, ...scopeValues(scope), limit] };
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The words of a free-text query joined with `|` for to_tsquery: any word
 * may match (plainto_tsquery would need all of them). Undefined without words.
 */
export function orQuery(query: string): string | undefined {
  const words = [...new Set(query.normalize("NFKC").toLowerCase().match(WORD) ?? [])];
  return words.length === 0 ? undefined : words.join(" | ");
}

export function documentChunks(table: string, collection: string, key: string): Statement {
  return {
    text: `SELECT source_table, key, chunk_index, content, metadata, updated_at
FROM ${table}
WHERE (source_table = $1 OR split_part(source_table, '.', 2) = $1) AND key = $2
ORDER BY source_table, chunk_index`,
    values: [collection, key],
  };
}

export function collections(table: string): Statement {
  return {
    text: `SELECT source_table, count(DISTINCT key)::int AS documents, count(*)::int AS chunks,
  max(updated_at) AS updated_at
FROM ${table} GROUP BY source_table ORDER BY source_table`,
    values: [],
  };
}

/** The table the pgvector sink writes, for the embedded database (same layout as the sink's). */
export function tableDdl(table: string, dimensions: number): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
  source_table text NOT NULL,
  key text NOT NULL,
  chunk_index int NOT NULL,
  content text,
  embedding vector(${dimensions}),
  metadata jsonb NOT NULL,
  content_hash text,
  lsn pg_lsn NOT NULL,
  seq int NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_table, key, chunk_index))`;
}
