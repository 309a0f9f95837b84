/** The native JSON envelope: the change event as it is, with LSNs as printable strings. */
import { type ChangeEvent, type Chunk, eventId, type Operation, type Row } from "../events.ts";
import { formatLsn } from "../lsn.ts";

export interface JsonEnvelope {
  /** Idempotency key (`schema.table:lsn:seq`), stable across redeliveries. */
  id: string;
  op: Operation;
  key: Row;
  previousKey?: Row;
  before: Row | null;
  after: Row | null;
  /** TOASTed columns the update left as they were; absent from `after`. */
  unchanged: string[];
  source: {
    schema: string;
    table: string;
    /** Commit end LSN as PostgreSQL prints it ("16/B374D848"). */
    commitLsn: string;
    seq: number;
    txId: number;
    commitTimeMs: number;
  };
  chunks?: Chunk[];
  chunksUnchanged?: boolean;
}

/** Pure: the same event always gives the same envelope (JSON-safe: no bigint). */
export function toJson(event: ChangeEvent): JsonEnvelope {
  const { source } = event;
  const envelope: JsonEnvelope = {
    id: eventId(event),
    op: event.op,
    key: event.key,
    before: event.before,
    after: event.after,
    unchanged: event.unchanged ?? [],
    source: {
      schema: source.schema,
      table: source.table,
      commitLsn: formatLsn(source.commitLsn),
      seq: source.seq,
      txId: source.txId,
      commitTimeMs: source.commitTimeMs,
    },
  };
  if (event.previousKey !== undefined) envelope.previousKey = event.previousKey;
  if (event.chunks !== undefined) envelope.chunks = event.chunks;
  if (event.chunksUnchanged !== undefined) envelope.chunksUnchanged = event.chunksUnchanged;
  return envelope;
}
