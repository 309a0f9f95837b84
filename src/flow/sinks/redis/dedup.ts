/**
 * Replay dedup for streams without transactions across a crash: the last
 * event id written to each stream is stored with the entries (same MULTI),
 * and events at or before it are skipped when a batch comes again.
 */
import type { ChangeEvent } from "../../events.ts";
import { eventId } from "../../events.ts";
import { comparePosition } from "../shared/key.ts";

/** (commitLsn, seq) of an event id "schema.table:<lsn hex>:<seq>"; undefined if it is not one. */
export function positionOf(id: string): { commitLsn: bigint; seq: number } | undefined {
  const match = /:([0-9a-f]+):(\d+)$/.exec(id);
  if (match === null) return undefined;
  return { commitLsn: BigInt(`0x${match[1]}`), seq: Number(match[2]) };
}

export interface StreamPlan {
  /** stream → events to append, in order. */
  appends: Map<string, ChangeEvent[]>;
  /** stream → id of the last event appended. */
  lastIds: Map<string, string>;
}

export function planAppends(
  events: ChangeEvent[],
  streamOf: (event: ChangeEvent) => string,
  stored: Map<string, string | null>,
): StreamPlan {
  const appends = new Map<string, ChangeEvent[]>();
  const lastIds = new Map<string, string>();
  for (const event of events) {
    const stream = streamOf(event);
    const last = stored.get(stream);
    const fence = last === null || last === undefined ? undefined : positionOf(last);
    if (fence !== undefined && comparePosition(event.source, fence) <= 0) continue;
    const list = appends.get(stream) ?? [];
    list.push(event);
    appends.set(stream, list);
    lastIds.set(stream, eventId(event));
  }
  return { appends, lastIds };
}
