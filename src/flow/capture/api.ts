/**
 * The capture side of flow as the engine sees it: an ordered, back-pressured
 * stream of change batches from one replication slot, and acknowledgement of
 * positions the engine has made durable everywhere.
 */
import type { ChangeBatch } from "../events.ts";
import type { Lsn } from "../lsn.ts";

export interface TableSelection {
  /** "schema.table" */
  table: string;
  /** Columns to capture (publication column list); all when absent. Key columns are always kept. */
  columns?: string[];
  /** SQL boolean expression over the row (publication row filter, PostgreSQL 15+). */
  where?: string;
}

export interface CaptureOptions {
  /** postgres://… of the source database (a role with REPLICATION, or superuser). */
  connectionString: string;
  /** Replication slot name; created (pgoutput) when missing. */
  slot: string;
  /** Publication name; created for `tables` when missing, checked when present. */
  publication: string;
  tables: TableSelection[];
  /** Events per batch at most; a larger transaction spans several batches. */
  batchSize: number;
  /** Decoded events held waiting for the engine before capture stops reading from the socket. */
  maxBufferedEvents: number;
  /** When the publication's tables are idle, a heartbeat message lets the slot advance (milliseconds; 0 = off). */
  heartbeatMs: number;
}

export interface SlotStatus {
  slot: string;
  /** false when no stream is attached. */
  active: boolean;
  /** `lost` means the slot was invalidated (WAL removed): a re-backfill is needed. */
  walStatus: "reserved" | "extended" | "unreserved" | "lost" | "unknown";
  currentLsn: Lsn;
  confirmedFlushLsn: Lsn;
  restartLsn: Lsn;
  /** current − confirmed_flush: changes not yet acknowledged. */
  lagBytes: bigint;
  /** current − restart_lsn: WAL the slot keeps on the server's disk. */
  retainedBytes: bigint;
  /** Age of the oldest change received but not yet acknowledged; 0 when none. */
  lagSeconds: number;
}

/**
 * What openCapture's stream guarantees (as built in src/flow/capture):
 * - `event.source.commitLsn` is the transaction's commit record LSN + 1. A large
 *   transaction is handed over before its Commit message (whose end LSN is not
 *   known yet), and the identity of an event must not change when it is
 *   delivered again. For any checkpoint c (always a real commit end LSN),
 *   `commitLsn <= c` holds exactly for transactions that committed at or before c,
 *   so "skip events at or before the stored checkpoint" stays correct.
 * - Batches end at the last transaction end they reach (checkpoint set); only
 *   batches inside one transaction larger than batchSize have no checkpoint.
 *   A transaction that produced no event (the idle heartbeat) is an empty
 *   batch with a checkpoint: acknowledge it like any other.
 * - Changes after the last acknowledged position are delivered again after a
 *   restart of the stream (at-least-once); a reconnect inside one stream does
 *   not repeat events already handed over.
 */
export interface CaptureStream {
  /**
   * The next batch in commit order, waiting until one is ready; undefined
   * once stopped. Memory stays bounded: while `maxBufferedEvents` wait here,
   * capture stops reading from PostgreSQL and the server holds the rest.
   */
  next(): Promise<ChangeBatch | undefined>;
  /**
   * Every change up to `lsn` (a batch checkpoint) is durable in every sink:
   * report it to the server as flushed. Nothing else ever advances the slot.
   */
  acknowledge(lsn: Lsn): void;
  status(): Promise<SlotStatus>;
  stop(): Promise<void>;
}
