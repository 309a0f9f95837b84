/**
 * What every sink implements. The engine writes batches in order and never
 * sends the next batch to a sink before the previous `write` resolved.
 */
import type { ChangeBatch } from "./events.ts";
import type { Lsn } from "./lsn.ts";

export type DeliveryGuarantee = "exactly-once" | "at-least-once";

export interface Sink {
  /** Name from the configuration, for logs, metrics and `sophia flow status`. */
  readonly name: string;
  readonly guarantee: DeliveryGuarantee;
  /** Connects and prepares (creates tables, streams); safe to call again after a failure. */
  start(): Promise<void>;
  /**
   * Durable once it resolves: the data survives a crash of the engine and of
   * the sink's store. Rejects when it cannot be (the engine retries or stops;
   * nothing is acknowledged past an unwritten batch).
   */
  write(batch: ChangeBatch): Promise<void>;
  /**
   * Optional: the batch the engine will write next, handed over while the
   * previous write is still in flight, so the sink can do its CPU work for
   * it (encode, sign) during that wait. Nothing may be sent: the next
   * `write` gets the same batch object once the previous one resolved.
   */
  prepare?(batch: ChangeBatch): void;
  /**
   * For sinks that store their position with their data (exactly-once): the
   * last checkpoint they hold, read at start. The engine skips events at or
   * before it on replay. Undefined for at-least-once sinks.
   */
  storedCheckpoint?(): Promise<Lsn | undefined>;
  stop(): Promise<void>;
}
