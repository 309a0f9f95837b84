/**
 * Counts delivered rows for one phase and keeps their insert-to-delivery
 * latencies; resolves `done` when the expected count has arrived.
 */
/** Epoch milliseconds with sub-millisecond precision. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class Tally {
  readonly expected: number;
  count = 0;
  firstAt = 0;
  lastAt = 0;
  readonly latencies: number[] = [];
  readonly #done: Promise<void>;
  #resolve!: () => void;

  /** Rows inserted before this epoch-ms time belong to an earlier phase (replays) and are ignored. */
  readonly sinceMs: number;

  constructor(expected: number, sinceMs = 0) {
    this.expected = expected;
    this.sinceMs = sinceMs;
    this.#done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /**
   * One delivered row inserted at `tsMs` (epoch ms), delivered at `atMs`
   * (epoch ms; now by default, or the time a sink wrote it). firstAt and
   * lastAt are epoch ms too.
   */
  add(tsMs: number, atMs = nowMs()): void {
    if (tsMs < this.sinceMs) return;
    if (this.count === 0 || atMs < this.firstAt) this.firstAt = atMs;
    this.count++;
    if (atMs > this.lastAt) this.lastAt = atMs;
    this.latencies.push(atMs - tsMs);
    if (this.count >= this.expected) this.#resolve();
  }

  /** Resolves at the expected count, rejects after `timeoutMs`. */
  wait(timeoutMs: number, what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`${what}: ${this.count}/${this.expected} rows after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    return Promise.race([this.#done, timeout]).finally(() => clearTimeout(timer));
  }

  /** Rows per second between the first and the last delivery. */
  rate(): number {
    const seconds = (this.lastAt - this.firstAt) / 1000;
    return seconds > 0 ? this.count / seconds : 0;
  }

  percentile(p: number): number {
    if (this.latencies.length === 0) return Number.NaN;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }
}
