/**
 * The capture as the engine sees it, plus a record of what the engine has
 * acknowledged: backfill progress may be saved only once the engine has
 * acknowledged a position at or after the chunk's `durableAfter`.
 */
import type { Capture, CaptureStream, SlotStatus } from "../capture/index.ts";
import type { ChangeBatch } from "../events.ts";
import type { Lsn } from "../lsn.ts";

interface Waiter {
  lsn: Lsn;
  resolve(): void;
  reject(reason: unknown): void;
}

export class AckWatch implements CaptureStream {
  readonly capture: Capture;
  #acked: Lsn = 0n;
  #waiters: Waiter[] = [];
  #closed: unknown;

  constructor(capture: Capture) {
    this.capture = capture;
  }

  get acked(): Lsn {
    return this.#acked;
  }

  next(): Promise<ChangeBatch | undefined> {
    return this.capture.next();
  }

  acknowledge(lsn: Lsn): void {
    this.capture.acknowledge(lsn);
    if (lsn <= this.#acked) return;
    this.#acked = lsn;
    const due = this.#waiters.filter((w) => w.lsn <= lsn);
    this.#waiters = this.#waiters.filter((w) => w.lsn > lsn);
    for (const waiter of due) waiter.resolve();
  }

  /** Resolves once the engine acknowledged `lsn` or later; rejects when the capture stops first. */
  whenAcked(lsn: Lsn): Promise<void> {
    if (lsn <= this.#acked) return Promise.resolve();
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => this.#waiters.push({ lsn, resolve, reject }));
  }

  status(): Promise<SlotStatus> {
    return this.capture.status();
  }

  async stop(): Promise<void> {
    this.#close(new Error("the flow stopped before the backfill's rows were acknowledged"));
    await this.capture.stop();
  }

  #close(reason: unknown): void {
    this.#closed ??= reason;
    for (const waiter of this.#waiters) waiter.reject(this.#closed);
    this.#waiters = [];
  }
}
