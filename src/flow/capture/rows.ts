/**
 * Tuples → event rows for one relation. Unchanged TOAST values are taken from
 * the old row when PostgreSQL sent it (REPLICA IDENTITY FULL); otherwise the
 * column is left out of `after` and named in `unchanged`, never filled in.
 */
import type { Row } from "../events.ts";
import { type Tuple, UNCHANGED } from "./pgoutput.ts";
import type { CachedRelation } from "./relations.ts";

export interface RowPair {
  before: Row | null;
  after: Row | null;
  unchanged: string[] | undefined;
}

/** A full row; columns PostgreSQL did not send are skipped and returned in `missing`. */
export function tupleToRow(relation: CachedRelation, tuple: Tuple, missing?: string[]): Row {
  const row: Row = {};
  const { columns } = relation;
  const count = Math.min(columns.length, tuple.length);
  for (let i = 0; i < count; i++) {
    const column = columns[i] as CachedRelation["columns"][number];
    const value = tuple[i];
    if (value === UNCHANGED) missing?.push(column.name);
    else row[column.name] = value === null || value === undefined ? null : column.parse(value);
  }
  return row;
}

/** Only the key columns of a tuple (an old-key 'K' tuple carries nothing else). */
export function keyOf(relation: CachedRelation, row: Row): Row {
  const key: Row = {};
  for (const index of relation.keyIndexes) {
    const name = (relation.columns[index] as CachedRelation["columns"][number]).name;
    key[name] = row[name] ?? null;
  }
  return key;
}

export function updateRows(
  relation: CachedRelation,
  oldKind: "K" | "O" | null,
  oldTuple: Tuple | null,
  newTuple: Tuple,
): RowPair {
  const before = oldTuple === null ? null : tupleToRow(relation, oldTuple);
  const missing: string[] = [];
  const after = tupleToRow(relation, newTuple, missing);
  const unchanged: string[] = [];
  for (const name of missing) {
    if (oldKind === "O" && before !== null && name in before) after[name] = before[name];
    else unchanged.push(name);
  }
  const keyedBefore = oldKind === "K" && before !== null ? keyOf(relation, before) : before;
  return { before: keyedBefore, after, unchanged: unchanged.length > 0 ? unchanged : undefined };
}

export function sameKey(a: Row, b: Row): boolean {
  for (const name in a) if (String(a[name]) !== String(b[name])) return false;
  return true;
}
