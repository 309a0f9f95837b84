/** Quoting of SQL identifiers taken from configuration (schema and table names). */

/** `"my ""odd"" name"`: safe to splice into SQL text whatever the name holds. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
