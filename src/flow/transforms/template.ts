/**
 * Field templates such as "${title} - ${status}" (pure). `$${` writes a
 * literal "${". Missing and null columns render as empty text, objects as JSON.
 */
import type { Row } from "../events.ts";

type Part = { text: string } | { column: string };

export interface Template {
  readonly source: string;
  /** Columns the template reads. */
  readonly columns: readonly string[];
  render(row: Row): string;
}

const TOKEN = /\$\$\{|\$\{([^}]*)\}/g;

/** @throws TypeError naming the template when a `${` is not closed or names no column */
export function parseTemplate(source: string): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(TOKEN)) {
    const text = source.slice(last, match.index);
    if (text.length > 0) parts.push({ text });
    if (match[0] === "$${") parts.push({ text: "${" });
    else {
      const column = match[1]!.trim();
      if (column === "") throw new TypeError(`empty \${} in template ${JSON.stringify(source)}`);
      parts.push({ column });
    }
    last = match.index + match[0].length;
  }
  const rest = source.slice(last);
  if (/(^|[^$])\$\{/.test(rest))
    throw new TypeError(`unclosed \${ in template ${JSON.stringify(source)}`);
  if (rest.length > 0) parts.push({ text: rest });
  const columns = [...new Set(parts.flatMap((p) => ("column" in p ? [p.column] : [])))];
  return {
    source,
    columns,
    render: (row) => parts.map((p) => ("text" in p ? p.text : formatValue(row[p.column]))).join(""),
  };
}

export function isTemplate(value: string): boolean {
  return value.includes("${");
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
