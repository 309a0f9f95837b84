/**
 * Gathers delivered messages into batches: after the first message, waits
 * up to `waitMs` for more, up to `max`. The consumer's max_ack_pending bounds
 * what can pile up here.
 */
export class Inbox<T> {
  #items: T[] = [];
  #ended = false;
  #wake: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(source: AsyncIterable<T>) {
    this.done = this.#read(source);
  }

  async #read(source: AsyncIterable<T>): Promise<void> {
    try {
      for await (const item of source) {
        this.#items.push(item);
        this.#notify();
      }
    } finally {
      this.#ended = true;
      this.#notify();
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = finish;
    });
  }

  get ended(): boolean {
    return this.#ended && this.#items.length === 0;
  }

  /** The next batch; empty after `idleMs` without a message (so callers can check for a stop). */
  async take(max: number, waitMs: number, idleMs: number): Promise<T[]> {
    if (this.#items.length === 0 && !this.#ended) await this.#wait(idleMs);
    if (this.#items.length === 0) return [];
    const deadline = Date.now() + waitMs;
    while (this.#items.length < max && !this.#ended && Date.now() < deadline)
      await this.#wait(deadline - Date.now());
    return this.#items.splice(0, max);
  }
}
