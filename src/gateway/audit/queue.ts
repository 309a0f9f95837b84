import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { AuditRecord } from "./record.ts";

/** Where records are written: a JSON lines file or PostgreSQL. */
export interface AuditSink {
  readonly kind: "file" | "postgres";
  write(batch: readonly AuditRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface QueueOptions {
  capacity: number;
  batchSize: number;
  /**
   * Records wait up to this long to be written together, unless a full
   * batch is ready (default 50 ms): one write per batch, not per call.
   */
  flushMs?: number;
  /** Wait after a failed write before trying the same batch again. */
  retryMs?: number;
  onWritten?(count: number): void;
  onDropped?(count: number): void;
  onWriteError?(): void;
}

/**
 * A bounded queue in front of a sink: `push` never waits, so audit never slows
 * a call. When the queue is full the record is dropped and counted. One write
 * runs at a time; a failed batch is retried (records stay queued meanwhile).
 */
export class AuditQueue {
  readonly #sink: AuditSink;
  readonly #options: QueueOptions;
  readonly #logger: Logger;
  #records: AuditRecord[] = [];
  #writing: Promise<void> | undefined;
  #dropped = 0;
  #closed = false;
  /** Ends the wait for a fuller batch early (close). */
  #wake: (() => void) | undefined;

  constructor(sink: AuditSink, options: QueueOptions, logger: Logger) {
    this.#sink = sink;
    this.#options = options;
    this.#logger = logger;
  }

  get length(): number {
    return this.#records.length;
  }

  get dropped(): number {
    return this.#dropped;
  }

  push(record: AuditRecord): void {
    if (this.#records.length >= this.#options.capacity || this.#closed) {
      this.#dropped++;
      this.#options.onDropped?.(1);
      return;
    }
    this.#records.push(record);
    this.#writing ??= this.#drain();
  }

  /** Writes what is queued (one more try for a failing sink), then closes the sink. */
  async close(): Promise<void> {
    this.#closed = true;
    // A batch waiting for more records is written now, not when its timer fires.
    this.#wake?.();
    await this.#writing;
    if (this.#records.length > 0) await this.#writeOnce().catch(() => undefined);
    await this.#sink.close();
  }

  async #drain(): Promise<void> {
    const flushMs = this.#options.flushMs ?? 50;
    try {
      while (this.#records.length > 0) {
        // Let calls queue up first: fewer, larger writes.
        if (this.#records.length < this.#options.batchSize && !this.#closed)
          await this.#pause(flushMs);
        try {
          await this.#writeOnce();
        } catch (error) {
          this.#options.onWriteError?.();
          this.#logger.error(
            { err: errorMessage(error), sink: this.#sink.kind },
            "audit write failed; retrying",
          );
          if (this.#closed) return;
          await new Promise((resolve) => setTimeout(resolve, this.#options.retryMs ?? 1000));
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  async #writeOnce(): Promise<void> {
    const batch = this.#records.slice(0, this.#options.batchSize);
    await this.#sink.write(batch);
    this.#records.splice(0, batch.length);
    this.#options.onWritten?.(batch.length);
  }
}
