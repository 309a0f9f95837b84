/**
 * Records each sink's durable position in the state store, coalescing: at
 * most one write in flight per sink and only the newest value is written.
 * A saved position is always one the sink really holds, so on restart the
 * engine may skip events at or before it for that sink. Saves are spaced
 * `minIntervalMs` apart: the position only saves repeats after a restart,
 * and a file sync per batch cost a backlog several percent of its rate.
 */

import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Lsn } from "../lsn.ts";
import { type StateStore, saveCheckpoint } from "../state/store.ts";

export class CheckpointSaver {
  readonly #store: StateStore;
  readonly #flow: string;
  readonly #logger: Logger;
  readonly #latest = new Map<string, Lsn>();
  readonly #saved = new Map<string, Lsn>();
  readonly #writing = new Map<string, Promise<void>>();
  readonly #minIntervalMs: number;
  readonly #pauses = new Set<() => void>();
  #flushing = false;

  constructor(store: StateStore, flow: string, logger: Logger, minIntervalMs = 200) {
    this.#store = store;
    this.#flow = flow;
    this.#logger = logger;
    this.#minIntervalMs = minIntervalMs;
  }

  record(sink: string, lsn: Lsn): void {
    const latest = this.#latest.get(sink);
    if (latest !== undefined && latest >= lsn) return;
    this.#latest.set(sink, lsn);
    if (!this.#writing.has(sink)) this.#writing.set(sink, this.#drain(sink));
  }

  latest(sink: string): Lsn | undefined {
    return this.#latest.get(sink);
  }

  /** Waits until every recorded position is written (without the spacing). */
  async flush(): Promise<void> {
    this.#flushing = true;
    try {
      for (const wake of [...this.#pauses]) wake();
      while (this.#writing.size > 0) await Promise.all(this.#writing.values());
    } finally {
      this.#flushing = false;
    }
  }

  #pause(): Promise<void> {
    if (this.#flushing || this.#minIntervalMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#pauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.#minIntervalMs);
      timer.unref();
      this.#pauses.add(wake);
    });
  }

  async #drain(sink: string): Promise<void> {
    try {
      for (let round = 0; round < 1_000_000; round++) {
        const want = this.#latest.get(sink);
        if (want === undefined || want === this.#saved.get(sink)) return;
        await saveCheckpoint(this.#store, this.#flow, sink, want);
        this.#saved.set(sink, want);
        await this.#pause();
      }
    } catch (error) {
      // Only an optimisation for restarts (fewer repeats), never what acknowledges: log and go on.
      this.#logger.warn(
        { sink, err: errorMessage(error) },
        "could not record the sink's checkpoint",
      );
    } finally {
      this.#writing.delete(sink);
    }
  }
}
