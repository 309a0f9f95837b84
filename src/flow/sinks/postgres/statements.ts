/**
 * Multi-row statements for the replica sink. Rows travel as one jsonb array
 * parameter and `jsonb_to_recordset` gives them the target's column types, so
 * a whole group is one round trip. The LSN fence in every statement keeps a
 * late redelivery from overwriting a newer version.
 */
import { formatLsn } from "../../lsn.ts";
import { stringify } from "../shared/event-json.ts";
import { quoteIdent } from "../shared/sql.ts";
import type { RowAction } from "./plan.ts";

export const LSN_COLUMN = "_sophia_lsn";
export const SEQ_COLUMN = "_sophia_seq";

export interface Statement {
  text: string;
  values: unknown[];
}

/** `x("a" int, "b" text, …)`: the record shape of the rows parameter. */
function recordShape(columns: string[], types: Map<string, string>): string {
  const defs = columns.map((c) => `${quoteIdent(c)} ${types.get(c)}`);
  defs.push(`${LSN_COLUMN} pg_lsn`, `${SEQ_COLUMN} int`);
  return `x(${defs.join(", ")})`;
}

function rowsParam(
  actions: RowAction[],
  columns: string[],
  pick: (a: RowAction) => object,
): string {
  return stringify(
    actions.map((action) => {
      const source = pick(action) as Record<string, unknown>;
      const row: Record<string, unknown> = {};
      for (const c of columns) row[c] = source[c] ?? null;
      row[LSN_COLUMN] = formatLsn(action.at.lsn);
      row[SEQ_COLUMN] = action.at.seq;
      return row;
    }),
  );
}

export function upsertStatement(
  target: string,
  columns: string[],
  keyColumns: string[],
  types: Map<string, string>,
  actions: RowAction[],
): Statement {
  const all = [...columns.map(quoteIdent), LSN_COLUMN, SEQ_COLUMN];
  const updates = [
    ...columns.filter((c) => !keyColumns.includes(c)).map(quoteIdent),
    LSN_COLUMN,
    SEQ_COLUMN,
  ]
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(", ");
  const text = `INSERT INTO ${target} AS t (${all.join(", ")})
SELECT ${all.join(", ")} FROM jsonb_to_recordset($1::jsonb) AS ${recordShape(columns, types)}
ON CONFLICT (${keyColumns.map(quoteIdent).join(", ")}) DO UPDATE SET ${updates}
WHERE (t.${LSN_COLUMN}, t.${SEQ_COLUMN}) < (EXCLUDED.${LSN_COLUMN}, EXCLUDED.${SEQ_COLUMN})`;
  const values = rowsParam(actions, columns, (a) => (a.type === "upsert" ? a.values : a.key));
  return { text, values: [values] };
}

export function deleteStatement(
  target: string,
  keyColumns: string[],
  types: Map<string, string>,
  actions: RowAction[],
): Statement {
  const match = keyColumns.map((c) => `t.${quoteIdent(c)} = x.${quoteIdent(c)}`).join(" AND ");
  const text = `DELETE FROM ${target} AS t USING jsonb_to_recordset($1::jsonb) AS ${recordShape(keyColumns, types)}
WHERE ${match} AND (t.${LSN_COLUMN}, t.${SEQ_COLUMN}) < (x.${LSN_COLUMN}, x.${SEQ_COLUMN})`;
  return { text, values: [rowsParam(actions, keyColumns, (a) => a.key)] };
}

/** Groups upserts by their column set: one statement per distinct set. */
export function groupByColumns(
  actions: RowAction[],
): Map<string, { columns: string[]; actions: RowAction[] }> {
  const groups = new Map<string, { columns: string[]; actions: RowAction[] }>();
  for (const action of actions) {
    if (action.type !== "upsert") continue;
    const columns = Object.keys(action.values).sort();
    const id = columns.join("\u0000");
    const group = groups.get(id) ?? { columns, actions: [] };
    group.actions.push(action);
    groups.set(id, group);
  }
  return groups;
}
