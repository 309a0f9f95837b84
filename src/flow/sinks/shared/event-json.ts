/**
 * The JSON form of a change event that leaves Sophia (webhook bodies, Redis
 * fields, NATS payloads): LSNs as PostgreSQL prints them, commit time as ISO
 * text, and the event's idempotency id.
 */
import type { ChangeEvent, Row } from "../../events.ts";
import { eventId } from "../../events.ts";
import { formatLsn } from "../../lsn.ts";

export interface EventJson {
  id: string;
  op: ChangeEvent["op"];
  schema: string;
  table: string;
  key: Row;
  previousKey?: Row;
  before: Row | null;
  after: Row | null;
  unchanged?: string[];
  commitLsn: string;
  seq: number;
  txId: number;
  commitTime: string;
  chunks?: Array<{ index: number; text: string; embedding: number[]; contentHash: string }>;
  chunksUnchanged?: boolean;
}

export function eventToJson(event: ChangeEvent): EventJson {
  const { source } = event;
  const json: EventJson = {
    id: eventId(event),
    op: event.op,
    schema: source.schema,
    table: source.table,
    key: event.key,
    before: event.before,
    after: event.after,
    commitLsn: formatLsn(source.commitLsn),
    seq: source.seq,
    txId: source.txId,
    commitTime: new Date(source.commitTimeMs).toISOString(),
  };
  if (event.previousKey !== undefined) json.previousKey = event.previousKey;
  if (event.unchanged !== undefined && event.unchanged.length > 0) json.unchanged = event.unchanged;
  if (event.chunks !== undefined) json.chunks = event.chunks;
  if (event.chunksUnchanged === true) json.chunksUnchanged = true;
  return json;
}

/** JSON.stringify that writes bigints as decimal strings instead of throwing. */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
