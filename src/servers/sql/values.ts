/** Row values made JSON-safe for a tool result. */

function jsonSafe(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `\\x${value.toString("hex")}`;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  return value;
}

/**
 * Columns by name; a name that repeats (`SELECT 1 AS a, 2 AS a`) gets a
 * suffix rather than overwriting the first value.
 */
export function jsonSafeRow(columns: readonly string[], values: readonly unknown[]) {
  const row: Record<string, unknown> = {};
  columns.forEach((name, i) => {
    let key = name;
    for (let n = 2; Object.hasOwn(row, key); n++) key = `${name}_${n}`;
    row[key] = jsonSafe(values[i]);
  });
  return row;
}
