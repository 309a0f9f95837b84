/** Small helpers for building SQL text from configured names (never from event data). */

/** "my table" → "\"my table\"": a quoted identifier, safe for any name. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
