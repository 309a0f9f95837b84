/** Quoting for the few statements capture builds from configuration. */

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** "schema.table" (or "table" = public) → its two parts. */
export function splitTable(qualified: string): { schema: string; table: string } {
  const dot = qualified.indexOf(".");
  return dot === -1
    ? { schema: "public", table: qualified }
    : { schema: qualified.slice(0, dot), table: qualified.slice(dot + 1) };
}

export function quoteTable(qualified: string): string {
  const { schema, table } = splitTable(qualified);
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
