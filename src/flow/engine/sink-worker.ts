/**
 * Feeds one sink from its bounded queue, batch after batch: skips events the
 * sink already holds, writes with retries until durable, then reports the
 * batch done. It never moves past a batch it could not write.
 */

import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { ChangeBatch, ChangeEvent } from "../events.ts";
import type { Lsn } from "../lsn.ts";
import type { Sink } from "../sink.ts";
import type { BoundedQueue } from "./bounded-queue.ts";
import type { FaultHook } from "./faults.ts";
import type { FlowMetrics } from "./metrics.ts";
import { Aborted, type Backoff, retryUntil } from "./retry.ts";

export interface QueuedBatch {
  seq: number;
  batch: ChangeBatch;
}

/** One write as planned: the queued batches it covers, their fresh events, and the batch the sink gets. */
interface PlannedWrite {
  items: QueuedBatch[];
  fresh: ChangeEvent[][];
  batch: ChangeBatch;
}

export interface SinkWorkerOptions {
  sink: Sink;
  queue: BoundedQueue<QueuedBatch>;
  /** Events at or before this position are already in the sink (restart after a crash). */
  skipThrough: Lsn | undefined;
  backoff: Backoff;
  signal: AbortSignal;
  metrics: FlowMetrics;
  logger: Logger;
  fault: FaultHook | undefined;
  /** Most events in one write when queued batches are joined (batch.size); 0 never joins. */
  maxEvents?: number;
  /** The batch is durable in this sink; `checkpoint` is the batch's, when it has one. */
  onDone(seq: number, checkpoint: Lsn | undefined, events: number): void;
  /** The worker has nothing to write and waits for the next batch. */
  onIdle?(): void;
}

export class SinkWorker {
  readonly #o: SinkWorkerOptions;
  #skipThrough: Lsn | undefined;
  /** While detached (WAL budget policy `pause`), batches are passed over unwritten. */
  detached = false;
  readonly #detach = new AbortController();
  eventsOut = 0;
  #writing = false;

  constructor(options: SinkWorkerOptions) {
    this.#o = options;
    this.#skipThrough = options.skipThrough;
  }

  get name(): string {
    return this.#o.sink.name;
  }

  /** No write in progress and nothing queued: a batch handed over now is written at once. */
  get idle(): boolean {
    return !this.#writing && this.#o.queue.size === 0;
  }

  /** Runs until the queue is closed and drained, or the signal aborts (rejects with Aborted). */
  async run(): Promise<void> {
    let next: PlannedWrite | undefined;
    for (;;) {
      if (next === undefined && this.#o.queue.size === 0) this.#o.onIdle?.();
      const write = next ?? (await this.#takeWrite());
      next = undefined;
      if (write === undefined) return;
      this.#writing = true;
      const { items, fresh, batch } = write;
      // Detached during the write: the batches are passed over without their checkpoints.
      const writing =
        batch.events.length > 0 && !this.detached
          ? this.#deliver(batch).then((durable) => !durable)
          : Promise.resolve(false);
      next = await this.#lookAhead(writing);
      const lost = await writing;
      this.#writing = false;
      items.forEach((item, i) => {
        const count = lost ? 0 : (fresh[i]?.length ?? 0);
        this.#o.onDone(item.seq, lost ? undefined : item.batch.checkpoint, count);
      });
    }
  }

  async #takeWrite(): Promise<PlannedWrite | undefined> {
    const first = await this.#o.queue.take();
    return first === undefined ? undefined : this.#plan(first);
  }

  #plan(first: QueuedBatch): PlannedWrite {
    const items = this.#withQueued(first);
    this.#o.metrics.queued.set({ flow: this.#o.metrics.flow, sink: this.name }, this.#o.queue.size);
    const fresh = items.map((item) => this.#fresh(item.batch));
    const events = fresh.length === 1 ? (fresh[0] as ChangeEvent[]) : fresh.flat();
    const checkpoint = items[items.length - 1]?.batch.checkpoint;
    return { items, fresh, batch: { events, checkpoint } };
  }

  /**
   * While a write is in flight and a full next write is already queued (a
   * backlog), plans that next write and lets a sink with `prepare` encode it
   * during the wait. Only then: a partly filled next write is better left
   * to gather the batches that arrive meanwhile. One turn passes first so
   * the current write's request is on its way before this CPU work.
   */
  async #lookAhead(writing: Promise<boolean>): Promise<PlannedWrite | undefined> {
    const sink = this.#o.sink;
    if (sink.prepare === undefined || !this.#fullWriteQueued()) return undefined;
    const turn = await Promise.race([
      writing.then(() => "done" as const),
      new Promise<"turn">((resolve) => setImmediate(() => resolve("turn"))),
    ]);
    if (turn === "done" || !this.#fullWriteQueued()) return undefined;
    const next = this.#o.queue.takeNow();
    if (next === undefined) return undefined;
    const planned = this.#plan(next);
    try {
      if (planned.batch.events.length > 0) sink.prepare(planned.batch);
    } catch {
      // Only a head start: the write itself meets the same error under the retry policy.
    }
    return planned;
  }

  #fullWriteQueued(): boolean {
    const limit = this.#o.maxEvents ?? 0;
    let count = 0;
    for (const item of this.#o.queue.items()) {
      count += item.batch.events.length;
      if (count >= limit) return true;
    }
    return false;
  }

  /**
   * Batches that queued up while the last write was in flight join this
   * write, up to `maxEvents`: an idle sink gets each batch at once (low
   * latency), a busy one gets fewer, larger writes (throughput). Only
   * batches with a checkpoint join, so the write ends at the last one's.
   */
  #withQueued(first: QueuedBatch): QueuedBatch[] {
    const items = [first];
    let count = first.batch.events.length;
    const limit = this.#o.maxEvents ?? 0;
    for (;;) {
      const next = this.#o.queue.peek();
      if (next === undefined || next.batch.checkpoint === undefined) break;
      if (count + next.batch.events.length > limit) break;
      this.#o.queue.takeNow();
      items.push(next);
      count += next.batch.events.length;
    }
    return items;
  }

  /** Writes until durable; false when detached meanwhile (the batches are passed over). */
  async #deliver(batch: ChangeBatch): Promise<boolean> {
    const labels = { flow: this.#o.metrics.flow, sink: this.name };
    if (!(await this.#write(batch))) return false;
    const { events } = batch;
    this.eventsOut += events.length;
    this.#o.metrics.eventsOut.inc(labels, events.length);
    const last = events[events.length - 1];
    if (last !== undefined && last.op !== "read")
      this.#o.metrics.endToEndSeconds.observe(
        labels,
        Math.max(0, Date.now() - last.source.commitTimeMs) / 1000,
      );
    this.#o.fault?.("after-sink-write");
    return true;
  }

  #fresh(batch: ChangeBatch): ChangeBatch["events"] {
    const mark = this.#skipThrough;
    if (mark === undefined) return batch.events;
    const events = batch.events.filter((event) => event.source.commitLsn > mark);
    if (events.length === batch.events.length) this.#skipThrough = undefined;
    return events;
  }

  /** Stops writing to this sink: it no longer holds the acknowledgement back. */
  detach(): void {
    this.detached = true;
    this.#detach.abort();
  }

  /** True once durable; false when detached meanwhile. */
  async #write(batch: ChangeBatch): Promise<boolean> {
    const labels = { flow: this.#o.metrics.flow, sink: this.name };
    const started = performance.now();
    try {
      await this.#retry(batch, labels);
    } catch (error) {
      if (error instanceof Aborted && this.detached && !this.#o.signal.aborted) return false;
      throw error;
    }
    this.#o.metrics.batchSeconds.observe(labels, (performance.now() - started) / 1000);
    return true;
  }

  #retry(batch: ChangeBatch, labels: { flow: string; sink: string }): Promise<void> {
    return retryUntil(
      () => {
        const writing = this.#o.sink.write(batch);
        // One turn later the write has started its I/O: dying then leaves it half done.
        if (this.#o.fault) setImmediate(() => this.#o.fault?.("mid-batch"));
        return writing;
      },
      {
        backoff: this.#o.backoff,
        signal: AbortSignal.any([this.#o.signal, this.#detach.signal]),
        onFailure: (error, attempt) => {
          this.#o.metrics.sinkErrors.inc(labels);
          this.#o.metrics.retries.inc({ ...labels, stage: "sink" });
          this.#o.logger.warn(
            { sink: this.name, attempt, events: batch.events.length, err: errorMessage(error) },
            "sink write failed; retrying the same batch",
          );
        },
      },
    );
  }
}
