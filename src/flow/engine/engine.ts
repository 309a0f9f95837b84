/**
 * One flow at run time: capture → transforms (in order) → every sink in
 * parallel, each behind its own bounded queue, and acknowledgement of the
 * newest position that every sink has made durable.
 */

import { errorMessage, SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { CaptureStream } from "../capture/api.ts";
import type { WalPolicy } from "../config/types.ts";
import type { ChangeBatch, ChangeEvent } from "../events.ts";
import { formatLsn, type Lsn, maxLsn } from "../lsn.ts";
import type { Sink } from "../sink.ts";
import {
  type FlowStatusRecord,
  loadCheckpoint,
  type StateStore,
  saveStatus,
} from "../state/store.ts";
import type { Transform } from "../transform.ts";
import { AckTracker } from "./ack-tracker.ts";
import { BoundedQueue } from "./bounded-queue.ts";
import { CheckpointSaver } from "./checkpoint-saver.ts";
import type { FaultHook } from "./faults.ts";
import { Gatherer } from "./gather.ts";
import { FlowMetrics } from "./metrics.ts";
import { Aborted, type Backoff, DEFAULT_BACKOFF, retryUntil } from "./retry.ts";
import { SinkIdleSignal } from "./sink-readiness.ts";
import { type QueuedBatch, SinkWorker } from "./sink-worker.ts";
import { WalWatch } from "./wal-watch.ts";

export interface FlowEngineOptions {
  flow: string;
  capture: CaptureStream;
  transforms: Transform[];
  sinks: Sink[];
  state: StateStore;
  logger: Logger;
  batch: { size: number; maxWaitMs: number };
  queueBatches: number;
  walBudget: { maxBytes: number | undefined; policy: WalPolicy; checkEveryMs: number };
  metrics?: FlowMetrics;
  fault?: FaultHook;
  backoff?: Backoff;
  /** On stop, how long queued batches may take to reach their sinks before the rest is left for the next run. */
  drainMs?: number;
}

export class FlowEngine {
  readonly metrics: FlowMetrics;
  readonly #o: FlowEngineOptions;
  /** Aborted when the drain on stop runs out of time: sink retries end there. */
  readonly #abort = new AbortController();
  /** Aborted as soon as a stop is asked for: waiting to start or to transform ends there. */
  readonly #stopping = new AbortController();
  #workers: SinkWorker[] = [];
  #queues: BoundedQueue<QueuedBatch>[] = [];
  #tracker: AckTracker;
  readonly #saver: CheckpointSaver;
  #fatal: unknown;
  #running: Promise<void> | undefined;
  readonly #onClosed: (() => Promise<void>)[] = [];
  #lagSeconds: number | null = null;
  readonly #sinkIdle = new SinkIdleSignal(() => this.#workers.some((worker) => worker.idle));

  constructor(options: FlowEngineOptions) {
    if (options.sinks.length === 0) throw new RangeError(`flow ${options.flow} has no sink`);
    this.#o = options;
    this.metrics = options.metrics ?? new FlowMetrics(options.flow);
    this.#tracker = new AckTracker(options.sinks.length);
    this.#saver = new CheckpointSaver(options.state, options.flow, options.logger);
  }

  #requestStop(): void {
    this.#stopping.abort();
  }

  get name(): string {
    return this.#o.flow;
  }

  /** Runs after the engine has stopped everything it owns (the builder closes state stores here). */
  onClosed(close: () => Promise<void>): void {
    this.#onClosed.push(close);
  }

  /** Runs until stop() (resolves) or a failure that cannot be retried (rejects). */
  run(): Promise<void> {
    this.#running ??= this.#run();
    return this.#running;
  }

  /** Graceful stop: no new batches, queued ones finish (up to drainMs), acknowledge, close. */
  async stop(): Promise<void> {
    this.#requestStop();
    await this.#running?.catch(() => undefined);
  }

  /** Status as `sophia flow status` shows it (also saved to the state store). */
  status(state: FlowStatusRecord["state"]): FlowStatusRecord {
    const sinks: FlowStatusRecord["sinks"] = {};
    for (const worker of this.#workers) {
      const checkpoint = this.#saver.latest(worker.name);
      sinks[worker.name] = {
        checkpoint: checkpoint === undefined ? null : formatLsn(checkpoint),
        eventsOut: worker.eventsOut,
        paused: worker.detached,
      };
    }
    const acked = this.#tracker.acked;
    return {
      state,
      updatedAtMs: Date.now(),
      ackedLsn: acked === undefined ? null : formatLsn(acked),
      lagSeconds: this.#lagSeconds,
      sinks,
      error: this.#fatal === undefined ? null : errorMessage(this.#fatal),
    };
  }

  async #run(): Promise<void> {
    const log = this.#o.logger;
    const started = await this.#startSinks();
    if (!started) return this.#close("stopped");
    const watch = new WalWatch({
      capture: this.#o.capture,
      ...this.#o.walBudget,
      metrics: this.metrics,
      logger: log,
      slowest: () => this.#slowestWorker(),
      onInvalidated: (error) => this.#fail(error),
      onTick: (slot) => {
        if (slot !== undefined) this.#lagSeconds = slot.lagSeconds;
        return this.#saveStatus("running");
      },
    });
    watch.start();
    const workersDone = this.#workers.map((worker) => this.#runWorker(worker));
    log.info({ sinks: this.#workers.map((w) => w.name) }, "flow running");
    await this.#pump();
    watch.stop();
    await this.#drain(workersDone);
    await this.#close(this.#fatal === undefined ? "stopped" : "failed");
    if (this.#fatal !== undefined) throw this.#fatal;
  }

  /** Starts every sink (retrying) and reads where each one already is. */
  async #startSinks(): Promise<boolean> {
    const { sinks, state, flow, logger } = this.#o;
    const backoff = this.#o.backoff ?? DEFAULT_BACKOFF;
    try {
      for (const [index, sink] of sinks.entries()) {
        await retryUntil(() => sink.start(), {
          backoff,
          signal: this.#stopping.signal,
          onFailure: (error, attempt) =>
            logger.warn(
              { sink: sink.name, attempt, err: errorMessage(error) },
              "sink cannot start; retrying",
            ),
        });
        const stored = await sink.storedCheckpoint?.();
        const saved = await loadCheckpoint(state, flow, sink.name);
        const skipThrough =
          stored === undefined ? saved : saved === undefined ? stored : maxLsn(stored, saved);
        this.#addWorker(index, sink, skipThrough, backoff);
      }
      return true;
    } catch (error) {
      if (error instanceof Aborted) return false;
      throw error;
    }
  }

  #addWorker(index: number, sink: Sink, skipThrough: Lsn | undefined, backoff: Backoff): void {
    const queue = new BoundedQueue<QueuedBatch>(this.#o.queueBatches);
    this.#queues.push(queue);
    this.#workers.push(
      new SinkWorker({
        sink,
        queue,
        skipThrough,
        backoff,
        signal: this.#abort.signal,
        metrics: this.metrics,
        logger: this.#o.logger,
        fault: this.#o.fault,
        maxEvents: this.#o.batch.size,
        onDone: (seq, checkpoint) => this.#done(index, sink.name, seq, checkpoint),
        onIdle: () => this.#sinkIdle.notify(),
      }),
    );
  }

  #done(index: number, sink: string, seq: number, checkpoint: Lsn | undefined): void {
    if (checkpoint !== undefined) this.#saver.record(sink, checkpoint);
    this.#tracker.done(index, seq);
    const lsn = this.#tracker.take();
    if (lsn === undefined) return;
    this.#o.capture.acknowledge(lsn);
    this.metrics.acked(lsn);
  }

  /** Pulls, transforms and fans out until stop or failure. */
  async #pump(): Promise<void> {
    const { size, maxWaitMs } = this.#o.batch;
    const gatherer = new Gatherer(this.#o.capture, size, maxWaitMs, this.#sinkIdle);
    for (;;) {
      const batch = await this.#nextOrStop(gatherer).catch((error: unknown) => {
        this.#fail(error);
        return "stop" as const;
      });
      if (batch === "stop" || batch === undefined) return;
      this.metrics.eventsIn.inc({ flow: this.#o.flow }, batch.events.length);
      const events = await this.#transform(batch.events);
      if (events === undefined) return;
      this.#o.fault?.("after-receive");
      const seq = this.#tracker.register(batch.checkpoint);
      for (const queue of this.#queues) {
        const accepted = await queue.push({ seq, batch: { events, checkpoint: batch.checkpoint } });
        if (!accepted) return;
      }
    }
  }

  /**
   * The next batch, or "stop" once a stop is asked for. The stop listener is
   * removed after each batch: racing one long-lived promise every time would
   * keep every batch ever raced against it alive until the stop.
   */
  async #nextOrStop(gatherer: Gatherer): Promise<ChangeBatch | undefined | "stop"> {
    const signal = this.#stopping.signal;
    if (signal.aborted) return "stop";
    let onStop = (): void => undefined;
    const stopped = new Promise<"stop">((resolve) => {
      onStop = () => resolve("stop");
      signal.addEventListener("abort", onStop, { once: true });
    });
    try {
      return await Promise.race([gatherer.next(), stopped]);
    } finally {
      signal.removeEventListener("abort", onStop);
    }
  }

  /** Applies the transforms in order; a rejection is retried (the batch is never dropped). */
  async #transform(events: ChangeEvent[]): Promise<ChangeEvent[] | undefined> {
    let current = events;
    for (const transform of this.#o.transforms) {
      const input = current;
      try {
        current = await retryUntil(async () => transform.apply(input), {
          backoff: this.#o.backoff ?? DEFAULT_BACKOFF,
          signal: this.#stopping.signal,
          onFailure: (error, attempt) => {
            this.metrics.retries.inc({ flow: this.#o.flow, sink: "", stage: transform.name });
            this.#o.logger.warn(
              { transform: transform.name, attempt, err: errorMessage(error) },
              "transform failed; retrying",
            );
          },
        });
      } catch (error) {
        if (!(error instanceof Aborted)) this.#fail(error);
        return undefined;
      }
    }
    return current;
  }

  async #runWorker(worker: SinkWorker): Promise<void> {
    try {
      await worker.run();
    } catch (error) {
      if (!(error instanceof Aborted)) this.#fail(error);
    }
  }

  /** Lets queued batches reach their sinks, up to drainMs; then gives up on the rest (replayed next run). */
  async #drain(workersDone: Promise<void>[]): Promise<void> {
    for (const queue of this.#queues) queue.close();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#o.drainMs ?? 10_000);
    });
    await Promise.race([Promise.all(workersDone), late]);
    clearTimeout(timer);
    this.#abort.abort();
    for (const queue of this.#queues) queue.clear();
    await Promise.all(workersDone);
  }

  async #close(state: FlowStatusRecord["state"]): Promise<void> {
    const log = this.#o.logger;
    await this.#saver.flush();
    await this.#saveStatus(state);
    // capture.stop() sends the last acknowledged position before closing.
    await this.#o.capture
      .stop()
      .catch((error: unknown) => log.warn({ err: errorMessage(error) }, "capture stop failed"));
    for (const sink of this.#o.sinks)
      await sink
        .stop()
        .catch((error: unknown) =>
          log.warn({ sink: sink.name, err: errorMessage(error) }, "sink stop failed"),
        );
    for (const transform of this.#o.transforms) await transform.stop?.().catch(() => undefined);
    for (const close of this.#onClosed) await close();
    log.info(
      {
        flow: this.#o.flow,
        acked: this.#tracker.acked === undefined ? null : formatLsn(this.#tracker.acked),
      },
      "flow stopped",
    );
  }

  async #saveStatus(state: FlowStatusRecord["state"]): Promise<void> {
    await saveStatus(this.#o.state, this.#o.flow, this.status(state)).catch((error: unknown) =>
      this.#o.logger.warn({ err: errorMessage(error) }, "could not save the flow status"),
    );
  }

  #slowestWorker(): SinkWorker | undefined {
    const index = this.#tracker.slowest();
    return index < 0 ? undefined : this.#workers[index];
  }

  #fail(error: unknown): void {
    if (this.#fatal !== undefined) return;
    this.#fatal =
      error instanceof SophiaError
        ? error
        : new SophiaError("INTERNAL", `flow ${this.#o.flow}: ${errorMessage(error)}`, {
            cause: error,
          });
    this.#o.logger.error({ flow: this.#o.flow, err: errorMessage(error) }, "flow failing");
    this.#requestStop();
  }
}
