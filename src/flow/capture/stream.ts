/**
 * The capture stream: one replication session at a time (reconnecting with
 * backoff), decoding into a bounded queue the engine drains with next().
 * The server only ever hears positions the engine acknowledged.
 */

import { errorMessage, SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { ChangeBatch } from "../events.ts";
import type { Lsn } from "../lsn.ts";
import { AckState } from "./ack-state.ts";
import type { CaptureOptions, CaptureStream, SlotStatus } from "./api.ts";
import { Assembler, type LogicalMessage } from "./assembler.ts";
import type { BackfillOptions, BackfillProgress } from "./backfill.ts";
import { BackfillRunner } from "./backfill-runner.ts";
import { backoffDelay } from "./backoff.ts";
import { BatchQueue } from "./batch-queue.ts";
import { fatalReplicationError } from "./errors.ts";
import { decodeFrame, XLOG_HEADER_BYTES } from "./framing.ts";
import { Heartbeat } from "./heartbeat.ts";
import { decodePgoutput } from "./pgoutput.ts";
import { RelationCache } from "./relations.ts";
import { type ReplicationSession, startReplication } from "./replication.ts";
import type { SourceDb } from "./source-db.ts";
import { readSlotStatus } from "./status.ts";

/** Status updates at least this often, so wal_sender_timeout never ends an idle or paused stream. */
export const STATUS_INTERVAL_MS = 10_000;
/** Acknowledgements closer together than this are reported in one status update. */
const ACK_COALESCE_MS = 100;

export class Capture implements CaptureStream {
  readonly #options: CaptureOptions;
  readonly #logger: Logger;
  readonly #db: SourceDb;
  readonly #queue: BatchQueue;
  readonly #ack = new AckState();
  readonly #assembler: Assembler;
  readonly #heartbeat: Heartbeat;
  readonly #backfill: BackfillRunner;
  readonly #messageListeners = new Set<
    (message: LogicalMessage, txCommitLsn: Lsn | undefined) => void
  >();
  #session: ReplicationSession | undefined;
  #paused = false;
  #stopped = false;
  #fatal: unknown;
  #wake: (() => void) | undefined;
  #timers: NodeJS.Timeout[] = [];
  #ackTimer: NodeJS.Timeout | undefined;
  #lastStatusMs = 0;
  #lastDataMs = Date.now();
  #running: Promise<void> = Promise.resolve();
  #cancelSleep: (() => void) | undefined;

  constructor(
    options: CaptureOptions,
    logger: Logger,
    db: SourceDb,
    keys: ReadonlyMap<string, readonly string[]>,
  ) {
    this.#options = options;
    this.#logger = logger;
    this.#db = db;
    this.#queue = new BatchQueue(options.batchSize, options.maxBufferedEvents);
    this.#heartbeat = new Heartbeat(options.connectionString, logger);
    this.#backfill = new BackfillRunner(db, keys, (event) => this.#queue.pushEvent(event));
    this.#assembler = new Assembler(new RelationCache(keys), {
      event: (event) => {
        this.#queue.pushEvent(event);
        this.#backfill.observe(event);
      },
      commit: (endLsn, commitTimeMs) => {
        this.#queue.pushCommit(endLsn);
        this.#ack.received(endLsn, commitTimeMs);
      },
      message: (message, txCommitLsn) => {
        this.#backfill.onMessage(message, txCommitLsn);
        for (const listener of this.#messageListeners) listener(message, txCommitLsn);
      },
    });
  }

  /** Most events held at once since open (the back-pressure bound). */
  get bufferedHighWater(): number {
    return this.#queue.highWater;
  }

  /** Logical messages as they arrive (backfill watermarks); returns the unsubscribe function. */
  onMessage(listener: (message: LogicalMessage, txCommitLsn: Lsn | undefined) => void): () => void {
    this.#messageListeners.add(listener);
    return () => this.#messageListeners.delete(listener);
  }

  /**
   * Copies a captured table into the stream as `read` events, chunk by chunk
   * in key order, consistent with the changes around it (see backfill.ts).
   * Resolves when the last chunk is in the stream; progress goes to
   * `options.onProgress` after each chunk.
   */
  backfillTable(options: BackfillOptions): Promise<BackfillProgress> {
    return this.#backfill.run(options, () => {
      if (this.#fatal !== undefined) throw this.#fatal;
      if (this.#stopped)
        throw new SophiaError("FLOW_STATE", "capture stopped during a backfill", {
          hint: "run the backfill again: it resumes after the last saved key",
        });
    });
  }

  /** First connection: its errors (slot in use, no slot) reach the caller of openCapture. */
  async start(): Promise<void> {
    let session: ReplicationSession;
    try {
      session = await this.#connect();
    } catch (error) {
      throw fatalReplicationError(error, this.#options.slot, true) ?? error;
    }
    this.#running = this.#supervise(session);
    this.#timers.push(setInterval(() => this.#sendStatus(), STATUS_INTERVAL_MS));
    const beat = this.#options.heartbeatMs;
    if (beat > 0) this.#timers.push(setInterval(() => void this.#maybeHeartbeat(), beat));
  }

  async #connect(): Promise<ReplicationSession> {
    const { connectionString, slot, publication } = this.#options;
    const session = await startReplication(
      { connectionString, slot, publication },
      0n,
      (buf, start, end) => this.#onData(buf, start, end),
    );
    this.#session = session;
    this.#paused = false;
    if (this.#queue.full) this.#pause();
    this.#logger.info({ slot, pid: session.backendPid }, "replication stream started");
    return session;
  }

  async #supervise(first: ReplicationSession): Promise<void> {
    let session: ReplicationSession | undefined = first;
    let attempt = 0;
    while (!this.#stopped) {
      try {
        if (session === undefined) {
          this.#assembler.prepareForReplay();
          session = await this.#connect();
          attempt = 0;
        }
        await session.ended;
        if (this.#stopped) return;
        throw new Error("the server ended the replication stream");
      } catch (error) {
        if (this.#stopped) return;
        session = undefined;
        this.#session = undefined;
        const fatal = fatalReplicationError(error, this.#options.slot, false);
        if (fatal !== undefined) return this.#fail(fatal);
        const delayMs = backoffDelay(attempt++);
        this.#logger.warn(
          { slot: this.#options.slot, attempt, delayMs, err: errorMessage(error) },
          "replication connection lost; reconnecting",
        );
        await this.#sleep(delayMs);
      }
    }
  }

  /** One CopyData payload: `buf[start, end)`. */
  #onData(buf: Buffer, start: number, end: number): void {
    if (this.#stopped || this.#fatal !== undefined) return;
    try {
      // Fast path for XLogData: its header positions are not needed, only the pgoutput message after it.
      if (buf[start] === 0x77 && end - start > XLOG_HEADER_BYTES) {
        this.#lastDataMs = Date.now();
        this.#assembler.push(decodePgoutput(buf, start + XLOG_HEADER_BYTES, end));
      } else this.#onFrame(buf, start, end);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.#queue.full && !this.#paused) this.#pause();
    if (this.#queue.ready) this.#wakeReader();
  }

  #onFrame(buf: Buffer, start: number, end: number): void {
    const frame = decodeFrame(buf, start, end);
    if (frame.kind === "keepalive") {
      if (frame.replyRequested) this.#sendStatus();
      return;
    }
    this.#lastDataMs = Date.now();
    this.#assembler.push(decodePgoutput(buf, frame.payloadStart, end));
  }

  #pause(): void {
    this.#paused = true;
    this.#session?.pause();
  }

  async next(): Promise<ChangeBatch | undefined> {
    for (;;) {
      if (this.#fatal !== undefined) throw this.#fatal;
      if (this.#stopped) return undefined;
      const batch = this.#queue.take();
      if (batch !== undefined) {
        if (this.#paused && this.#queue.canResume) {
          this.#paused = false;
          this.#session?.resume();
        }
        return batch;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  acknowledge(lsn: Lsn): void {
    if (!this.#ack.acknowledge(lsn) || this.#ackTimer !== undefined) return;
    const wait = this.#lastStatusMs + ACK_COALESCE_MS - Date.now();
    if (wait <= 0) {
      this.#sendStatus();
      return;
    }
    this.#ackTimer = setTimeout(() => this.#sendStatus(), wait);
  }

  /** Only ever the acknowledged position: never what was merely received. */
  #sendStatus(): void {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    this.#lastStatusMs = Date.now();
    this.#session?.sendStatus(this.#ack.acked, this.#lastStatusMs);
  }

  async #maybeHeartbeat(): Promise<void> {
    if (this.#stopped || this.#session === undefined || this.#paused) return;
    if (Date.now() - this.#lastDataMs < this.#options.heartbeatMs) return;
    this.#lastDataMs = Date.now();
    await this.#heartbeat.emit();
  }

  async status(): Promise<SlotStatus> {
    const lag = this.#ack.lagSeconds(Date.now(), this.#assembler.openTxCommitTimeMs);
    return this.#db.use((client) => readSlotStatus(client, this.#options.slot, lag));
  }

  #fail(error: unknown): void {
    if (this.#fatal !== undefined || this.#stopped) return;
    this.#fatal = error;
    this.#logger.error(
      { slot: this.#options.slot, err: errorMessage(error) },
      "capture stopped on an error",
    );
    void this.#shutdown();
    this.#wakeReader();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#wakeReader();
    await this.#shutdown();
  }

  async #shutdown(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    clearTimeout(this.#ackTimer);
    this.#cancelSleep?.();
    this.#backfill.cancel(
      this.#fatal ??
        new SophiaError("FLOW_STATE", "capture stopped during a backfill", {
          hint: "run the backfill again: it resumes after the last saved key",
        }),
    );
    const session = this.#session;
    this.#session = undefined;
    await session?.stop(this.#ack.acked);
    this.#stopped = true;
    await this.#running;
    this.#queue.clear();
    await this.#heartbeat.close();
    await this.#db.close();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#cancelSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
