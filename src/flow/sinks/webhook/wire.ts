/**
 * The webhook body's events, built fast: the same objects as the shared
 * `eventToJson` (same keys in the same order, so the same JSON text), but the
 * per-transaction strings (commit LSN, commit time, id prefix) are formatted
 * once per transaction instead of once per event. A backlog of one-row
 * transactions costs the same as before; large transactions much less.
 */
import type { ChangeEvent } from "../../events.ts";
import { formatLsn, type Lsn } from "../../lsn.ts";
import { type EventJson, stringify } from "../shared/event-json.ts";

interface TxStrings {
  commitLsn: Lsn;
  commitTimeMs: number;
  lsn: string;
  lsnHex: string;
  time: string;
}

function txStrings(event: ChangeEvent, last: TxStrings | undefined): TxStrings {
  const { commitLsn, commitTimeMs } = event.source;
  if (last !== undefined && last.commitLsn === commitLsn && last.commitTimeMs === commitTimeMs)
    return last;
  return {
    commitLsn,
    commitTimeMs,
    lsn: formatLsn(commitLsn),
    lsnHex: commitLsn.toString(16),
    time: new Date(commitTimeMs).toISOString(),
  };
}

/** `eventToJson` for every event, in order. */
export function eventsToJson(events: readonly ChangeEvent[]): EventJson[] {
  const out: EventJson[] = new Array(events.length);
  let tx: TxStrings | undefined;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as ChangeEvent;
    const { source } = event;
    tx = txStrings(event, tx);
    const json: EventJson = {
      id: `${source.schema}.${source.table}:${tx.lsnHex}:${source.seq}`,
      op: event.op,
      schema: source.schema,
      table: source.table,
      key: event.key,
      before: event.before,
      after: event.after,
      commitLsn: tx.lsn,
      seq: source.seq,
      txId: source.txId,
      commitTime: tx.time,
    };
    if (event.previousKey !== undefined) json.previousKey = event.previousKey;
    if (event.unchanged !== undefined && event.unchanged.length > 0)
      json.unchanged = event.unchanged;
    if (event.chunks !== undefined) json.chunks = event.chunks;
    if (event.chunksUnchanged === true) json.chunksUnchanged = true;
    out[i] = json;
  }
  return out;
}

/**
 * JSON text of `value`. Plain JSON.stringify first (several times faster
 * than with a replacer); only a value holding a bigint (a user's map
 * transform) takes the shared bigint-safe path.
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof TypeError) return stringify(value);
    throw error;
  }
}

/** Events serialised per slice of this many: each string stays small (young, cheap to collect). */
const SLICE = 64;

/**
 * The JSON array of `events` as UTF-8 bytes, the same text as jsonText(events).
 * Built from slices so no request-sized string is made: strings that large
 * live in V8's old generation until a full collection, and a backlog's worth
 * of them grew the engine's memory by hundreds of megabytes.
 */
export function jsonBody(events: readonly EventJson[]): Buffer {
  const parts: string[] = [];
  let bytes = 2 + Math.max(0, Math.ceil(events.length / SLICE) - 1);
  for (let i = 0; i < events.length; i += SLICE) {
    const part = jsonText(events.slice(i, i + SLICE)).slice(1, -1);
    parts.push(part);
    bytes += Buffer.byteLength(part);
  }
  const out = Buffer.allocUnsafe(bytes);
  let at = out.write("[", 0);
  parts.forEach((part, n) => {
    if (n > 0) at += out.write(",", at);
    at += out.write(part, at);
  });
  out.write("]", at);
  return out;
}
