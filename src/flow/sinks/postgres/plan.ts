/**
 * Reduces a batch of change events to the net effect per row, in memory, so
 * the database sees one multi-row statement per table and column set instead
 * of one statement per event. Events are in commit order, so an event's
 * in-batch predecessor for the same key is its true predecessor: TOAST-unchanged
 * columns are filled from it (or from `before`) when it is known.
 */
import type { ChangeEvent, Row } from "../../events.ts";
import { keyText, sourceTable } from "../shared/key.ts";

export interface Position {
  lsn: bigint;
  seq: number;
}

export type RowAction =
  | { type: "upsert"; key: Row; values: Row; at: Position }
  | { type: "delete"; key: Row; at: Position };

export type Step =
  | { kind: "truncate"; source: { schema: string; table: string } }
  | { kind: "rows"; tables: Map<string, TableActions> };

export interface TableActions {
  source: { schema: string; table: string };
  /** keyText → the last action for that row. */
  rows: Map<string, RowAction>;
}

/** The row an update leaves: sent columns, plus unchanged ones known from before. */
function valuesAfter(event: ChangeEvent, previous: RowAction | undefined): Row {
  const values: Row = {};
  for (const column of event.unchanged ?? []) {
    if (previous?.type === "upsert" && column in previous.values) {
      values[column] = previous.values[column];
    } else if (event.before !== null && column in event.before) {
      values[column] = event.before[column];
    }
  }
  return { ...values, ...event.after, ...event.key };
}

function tableOf(step: Extract<Step, { kind: "rows" }>, event: ChangeEvent): TableActions {
  const name = sourceTable(event);
  let actions = step.tables.get(name);
  if (actions === undefined) {
    actions = {
      source: { schema: event.source.schema, table: event.source.table },
      rows: new Map(),
    };
    step.tables.set(name, actions);
  }
  return actions;
}

function applyRowEvent(actions: TableActions, event: ChangeEvent): void {
  const at = { lsn: event.source.commitLsn, seq: event.source.seq };
  const id = keyText(event.key);
  if (event.op === "delete") {
    actions.rows.set(id, { type: "delete", key: event.key, at });
    return;
  }
  let previous = actions.rows.get(id);
  if (event.previousKey !== undefined) {
    const oldId = keyText(event.previousKey);
    if (oldId !== id) {
      previous = actions.rows.get(oldId);
      actions.rows.set(oldId, { type: "delete", key: event.previousKey, at });
    }
  }
  actions.rows.set(id, {
    type: "upsert",
    key: event.key,
    values: valuesAfter(event, previous),
    at,
  });
}

export function planBatch(events: ChangeEvent[]): Step[] {
  const steps: Step[] = [];
  let current: Extract<Step, { kind: "rows" }> = { kind: "rows", tables: new Map() };
  for (const event of events) {
    if (event.op === "truncate") {
      if (current.tables.size > 0) steps.push(current);
      steps.push({
        kind: "truncate",
        source: { schema: event.source.schema, table: event.source.table },
      });
      current = { kind: "rows", tables: new Map() };
      continue;
    }
    applyRowEvent(tableOf(current, event), event);
  }
  if (current.tables.size > 0) steps.push(current);
  return steps;
}
