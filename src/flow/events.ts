/**
 * The change event: what capture produces, transforms reshape and sinks write.
 * This file is the contract between the parts of flow; change it with care.
 */
import type { Lsn } from "./lsn.ts";

/** `read` is a row from a snapshot/backfill, not from the WAL. */
export type Operation = "insert" | "update" | "delete" | "truncate" | "read";

/**
 * Column name → value. Values are decoded from PostgreSQL's text format:
 * string, number (int2/int4/float/oid), bigint-safe string for int8 and numeric,
 * boolean, null, Date-free ISO strings for timestamps, parsed objects for json/jsonb,
 * arrays for array types, and `number[]` for pgvector's `vector`.
 */
export type Row = Record<string, unknown>;

export interface ChangeSource {
  schema: string;
  table: string;
  /** End LSN of the transaction's commit: the position acknowledged once this event is durable everywhere. */
  commitLsn: Lsn;
  /** Ordinal of the event inside its transaction (0-based); with commitLsn a stable identity. */
  seq: number;
  /** PostgreSQL transaction id (xid); 0 for snapshot rows. */
  txId: number;
  /** Commit time in epoch milliseconds; the snapshot's start for `read` events. */
  commitTimeMs: number;
}

export interface ChangeEvent {
  op: Operation;
  /** Primary key (or replica identity) columns → values; for updates that change the key, the new key. */
  key: Row;
  /** For updates that changed the key: the old key, so sinks remove the old row. */
  previousKey?: Row;
  /** Old row: full with REPLICA IDENTITY FULL, key columns only with DEFAULT, null when not sent. */
  before: Row | null;
  /** New row for insert/update/read; null for delete/truncate. */
  after: Row | null;
  /**
   * Columns an update left unchanged that PostgreSQL did not send (TOASTed
   * values). They are absent from `after`; a sink must keep the stored value,
   * never write a placeholder. Empty or absent when every column was sent.
   */
  unchanged?: string[];
  source: ChangeSource;
  /** Set by the embed transform; sinks that store vectors write one row per chunk. */
  chunks?: Chunk[];
  /** Set by the embed transform when the embedded text did not change: sinks keep their chunks. */
  chunksUnchanged?: boolean;
}

export interface Chunk {
  index: number;
  text: string;
  embedding: number[];
  /** sha256 (hex) of the embedded text of the whole row, for skipping re-embedding. */
  contentHash: string;
}

/**
 * A slice of the ordered change stream. Events are in commit order; a large
 * transaction spans several batches. `checkpoint` is set on a batch that ends
 * at a transaction boundary: once this batch and every earlier one are
 * durable in a sink, that sink may report `checkpoint` as safe to acknowledge.
 */
export interface ChangeBatch {
  events: ChangeEvent[];
  checkpoint: Lsn | undefined;
}

/** Idempotency key of an event: stable across redeliveries after a restart. */
export function eventId(event: ChangeEvent): string {
  const { schema, table, commitLsn, seq } = event.source;
  return `${schema}.${table}:${commitLsn.toString(16)}:${seq}`;
}
