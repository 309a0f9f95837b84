/**
 * What embed does with one event (pure): pass it on untouched, keep its
 * stored chunks (content unchanged), or embed a text.
 */
import { isDeepStrictEqual } from "node:util";
import type { ChangeEvent, Row } from "../events.ts";
import { embeddingText } from "./text.ts";

export type Plan =
  | { kind: "pass" }
  | { kind: "unchanged" }
  /** An embedded field is an unsent TOAST value and the old row does not have it either. */
  | { kind: "unknown"; missing: string[] }
  | { kind: "embed"; text: string };

export interface PlanOptions {
  fields: readonly string[];
  labels: boolean;
  tables?: readonly string[] | undefined;
}

export function planEvent(event: ChangeEvent, options: PlanOptions): Plan {
  const { after } = event;
  if (event.op === "delete" || event.op === "truncate" || after === null) return { kind: "pass" };
  if (options.tables !== undefined && !options.tables.some((t) => tableIs(t, event)))
    return { kind: "pass" };
  const unchanged = event.unchanged ?? [];
  // A table without any of the fields is not one this transform embeds.
  if (!options.fields.some((f) => f in after || unchanged.includes(f))) return { kind: "pass" };
  if (event.op === "update" && options.fields.every((f) => fieldSame(event, f)))
    return { kind: "unchanged" };
  const row: Row = {};
  const missing: string[] = [];
  for (const field of options.fields) {
    if (field in after) row[field] = after[field];
    else if (!unchanged.includes(field)) row[field] = null;
    else if (event.before !== null && field in event.before) row[field] = event.before[field];
    else missing.push(field);
  }
  if (missing.length > 0) return { kind: "unknown", missing };
  return { kind: "embed", text: embeddingText(row, options.fields, options.labels) };
}

/** Same when left unchanged (TOAST), or when the old row has an equal value. */
function fieldSame(event: ChangeEvent, field: string): boolean {
  const after = event.after ?? {};
  if (!(field in after))
    return (event.unchanged ?? []).includes(field) || !(field in (event.before ?? {}));
  return (
    event.before !== null &&
    field in event.before &&
    isDeepStrictEqual(event.before[field], after[field])
  );
}

function tableIs(pattern: string, event: ChangeEvent): boolean {
  const { schema, table } = event.source;
  return pattern.includes(".") ? pattern === `${schema}.${table}` : pattern === table;
}
