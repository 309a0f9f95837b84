/**
 * Declarative conditions on change events (pure): which operations, which
 * tables, and tests on column values. Every listed part must hold.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { ChangeEvent, Row } from "../events.ts";

const operation = z.enum(["insert", "update", "delete", "truncate", "read"]);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const columnTest = z.union([
  z.object({ column: z.string().min(1), equals: scalar }).strict(),
  z.object({ column: z.string().min(1), in: z.array(scalar).min(1) }).strict(),
  z.object({ column: z.string().min(1), isNull: z.boolean() }).strict(),
  z.object({ column: z.string().min(1), changed: z.boolean() }).strict(),
]);

export const conditionSchema = z
  .object({
    op: z.array(operation).min(1).optional(),
    /** "schema.table", or "table" for that name in any schema. */
    table: z.array(z.string().min(1)).min(1).optional(),
    where: z.array(columnTest).min(1).optional(),
  })
  .strict();

export type Condition = z.infer<typeof conditionSchema>;
export type ColumnTest = z.infer<typeof columnTest>;

export function matches(condition: Condition, event: ChangeEvent): boolean {
  if (condition.op !== undefined && !condition.op.includes(event.op)) return false;
  if (condition.table !== undefined && !condition.table.some((t) => tableMatches(t, event)))
    return false;
  return condition.where?.every((test) => testColumn(test, event)) ?? true;
}

function tableMatches(pattern: string, event: ChangeEvent): boolean {
  const { schema, table } = event.source;
  return pattern.includes(".") ? pattern === `${schema}.${table}` : pattern === table;
}

/** The row a column test reads: the new row, else the old one (deletes), else the key. */
function rowOf(event: ChangeEvent): Row {
  return event.after ?? event.before ?? event.key;
}

function testColumn(test: ColumnTest, event: ChangeEvent): boolean {
  if ("changed" in test) return columnChanged(event, test.column) === test.changed;
  const row = rowOf(event);
  // A TOASTed column the update did not send is unknown: no value test can hold.
  if (!(test.column in row) && event.unchanged?.includes(test.column)) return false;
  const value = row[test.column] ?? null;
  if ("equals" in test) return isDeepStrictEqual(value, test.equals);
  if ("in" in test) return test.in.some((candidate) => isDeepStrictEqual(value, candidate));
  return (value === null) === test.isNull;
}

/**
 * Inserts and snapshot reads change every column they carry; deletes and
 * truncates none. An update changed a column unless it was left unchanged
 * (TOAST) or the old row has it with an equal value; without the old value
 * (REPLICA IDENTITY DEFAULT) it counts as changed.
 */
export function columnChanged(event: ChangeEvent, column: string): boolean {
  if (event.op === "insert" || event.op === "read")
    return event.after !== null && column in event.after;
  if (event.op !== "update") return false;
  if (event.unchanged?.includes(column)) return false;
  const { before, after } = event;
  if (after === null || !(column in after)) return false;
  if (before === null || !(column in before)) return true;
  return !isDeepStrictEqual(before[column], after[column]);
}
