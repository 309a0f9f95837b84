/**
 * Counts events and "hits" among them over a sliding window, in a fixed
 * number of buckets so memory stays constant at any call rate. Pure: the
 * caller passes the time.
 */
export class WindowCounter {
  readonly #bucketMs: number;
  readonly #totals: number[];
  readonly #hits: number[];
  /** The bucket epoch (time / bucketMs) each slot currently holds. */
  readonly #epochs: number[];

  constructor(windowMs: number, buckets = 10) {
    this.#bucketMs = Math.max(1, Math.ceil(windowMs / buckets));
    this.#totals = new Array<number>(buckets).fill(0);
    this.#hits = new Array<number>(buckets).fill(0);
    this.#epochs = new Array<number>(buckets).fill(-1);
  }

  add(now: number, hit: boolean): void {
    const slot = this.#slot(now);
    this.#totals[slot] = (this.#totals[slot] ?? 0) + 1;
    if (hit) this.#hits[slot] = (this.#hits[slot] ?? 0) + 1;
  }

  /** Events and hits in the window ending at `now`. */
  sum(now: number): { total: number; hits: number } {
    const current = Math.floor(now / this.#bucketMs);
    const oldest = current - this.#epochs.length + 1;
    let total = 0;
    let hits = 0;
    for (let i = 0; i < this.#epochs.length; i++) {
      const epoch = this.#epochs[i] ?? -1;
      if (epoch < oldest || epoch > current) continue;
      total += this.#totals[i] ?? 0;
      hits += this.#hits[i] ?? 0;
    }
    return { total, hits };
  }

  reset(): void {
    this.#epochs.fill(-1);
  }

  #slot(now: number): number {
    const epoch = Math.floor(now / this.#bucketMs);
    const slot = epoch % this.#epochs.length;
    if (this.#epochs[slot] !== epoch) {
      this.#epochs[slot] = epoch;
      this.#totals[slot] = 0;
      this.#hits[slot] = 0;
    }
    return slot;
  }
}
