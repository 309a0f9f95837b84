/**
 * The first gate of the sql server, before PostgreSQL's own (a READ ONLY
 * transaction and a cursor, see run-query.ts): exactly one statement, and
 * one that reads (SELECT, WITH … SELECT, VALUES, TABLE). Comments, string
 * literals, quoted identifiers and dollar-quoted bodies are skipped so a `;`
 * or a keyword inside them counts for nothing.
 */

const READ_STARTS = new Set(["select", "with", "values", "table"]);

export type GuardResult = { ok: true; sql: string } | { ok: false; reason: string };

/** Index just past a literal/comment starting at `i`, or `i` when none starts there. */
function skip(sql: string, i: number): number {
  const two = sql.slice(i, i + 2);
  if (two === "--") {
    const end = sql.indexOf("\n", i);
    return end === -1 ? sql.length : end + 1;
  }
  if (two === "/*") {
    // Block comments nest in PostgreSQL.
    let depth = 0;
    for (let j = i; j < sql.length - 1; j++) {
      const opens = sql.startsWith("/*", j);
      const closes = !opens && sql.startsWith("*/", j);
      if (!opens && !closes) continue;
      depth += opens ? 1 : -1;
      j++;
      if (depth === 0) return j + 1;
    }
    return sql.length;
  }
  const c = sql[i];
  if (c === "'" || c === '"') return closing(sql, i, c);
  if (c === "$") {
    const tag = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/.exec(sql.slice(i));
    if (tag === null) return i;
    const end = sql.indexOf(tag[0], i + tag[0].length);
    return end === -1 ? sql.length : end + tag[0].length;
  }
  return i;
}

/** Past the quote closing the one at `i` (a doubled quote is an escaped one; E'' backslashes too). */
function closing(sql: string, i: number, quote: string): number {
  const escapes = quote === "'" && /[eE]/.test(sql[i - 1] ?? "") && !/\w/.test(sql[i - 2] ?? "");
  for (let j = i + 1; j < sql.length; j++) {
    if (escapes && sql[j] === "\\") j++;
    else if (sql[j] === quote) {
      if (sql[j + 1] === quote) j++;
      else return j + 1;
    }
  }
  return sql.length;
}

/**
 * The text with literals and comments replaced by a space (what is left is SQL
 * structure), and where the statement ends in the original text once trailing
 * semicolons, blanks and comments are dropped.
 */
export function structure(sql: string): { bare: string; end: number } {
  let bare = "";
  let end = 0;
  for (let i = 0; i < sql.length; ) {
    const next = skip(sql, i);
    if (next > i) {
      bare += " ";
      if (!sql.startsWith("--", i) && !sql.startsWith("/*", i)) end = next;
      i = next;
      continue;
    }
    const c = sql[i]!;
    bare += c;
    if (c !== ";" && c.trim() !== "") end = i + 1;
    i++;
  }
  return { bare, end };
}

export function checkReadQuery(sql: string): GuardResult {
  const { bare, end } = structure(sql);
  const body = bare.trim().replace(/[\s;]+$/, "");
  if (body === "") return { ok: false, reason: "the query is empty" };
  if (body.includes(";"))
    return {
      ok: false,
      reason: "only one statement per query; remove everything after the first ';'",
    };
  const first = /^[\s(]*([A-Za-z]+)/.exec(body)?.[1]?.toLowerCase();
  if (first === undefined || !READ_STARTS.has(first))
    return {
      ok: false,
      reason: `only reading queries run here (SELECT, WITH … SELECT, VALUES, TABLE); ${first?.toUpperCase() ?? "this statement"} was refused`,
    };
  // Trailing semicolons would end the DECLARE around the query early: cut them off.
  return { ok: true, sql: sql.slice(0, end) };
}
