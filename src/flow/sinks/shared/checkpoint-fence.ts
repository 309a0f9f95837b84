import type { ChangeEvent } from "../../events.ts";
import type { Lsn } from "../../lsn.ts";

/**
 * Drops events a stored checkpoint already covers (their transaction is
 * fully written). Snapshot reads are kept: they are fenced per row instead,
 * since a backfill can run behind the stream's checkpoint.
 */
export function afterCheckpoint(events: ChangeEvent[], stored: Lsn | undefined): ChangeEvent[] {
  if (stored === undefined) return events;
  return events.filter((e) => e.op === "read" || e.source.commitLsn > stored);
}
