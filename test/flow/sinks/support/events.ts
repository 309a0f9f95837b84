/** Builders for change events in sink tests. */
import type { ChangeBatch, ChangeEvent, Operation, Row } from "../../../../src/flow/events.ts";

export interface EventSpec {
  op: Operation;
  key: Row;
  after?: Row | null;
  before?: Row | null;
  previousKey?: Row;
  unchanged?: string[];
  lsn: bigint;
  seq?: number;
  schema?: string;
  table?: string;
  chunks?: ChangeEvent["chunks"];
  chunksUnchanged?: boolean;
}

export function event(spec: EventSpec): ChangeEvent {
  const result: ChangeEvent = {
    op: spec.op,
    key: spec.key,
    before: spec.before ?? null,
    after: spec.after ?? null,
    source: {
      schema: spec.schema ?? "public",
      table: spec.table ?? "items",
      commitLsn: spec.lsn,
      seq: spec.seq ?? 0,
      txId: Number(spec.lsn % 100_000n),
      commitTimeMs: 1_700_000_000_000,
    },
  };
  if (spec.previousKey !== undefined) result.previousKey = spec.previousKey;
  if (spec.unchanged !== undefined) result.unchanged = spec.unchanged;
  if (spec.chunks !== undefined) result.chunks = spec.chunks;
  if (spec.chunksUnchanged !== undefined) result.chunksUnchanged = spec.chunksUnchanged;
  return result;
}

/** A batch ending at a transaction boundary: its checkpoint is the last event's commit LSN. */
export function batch(events: ChangeEvent[], checkpoint?: bigint): ChangeBatch {
  return { events, checkpoint: checkpoint ?? events[events.length - 1]?.source.commitLsn };
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
}
