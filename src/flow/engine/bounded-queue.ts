/**
 * An async FIFO with a fixed capacity: `push` waits while it is full, which
 * is how a slow sink slows capture down and memory stays bounded.
 */
export class BoundedQueue<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #waitingPush: (() => void)[] = [];
  #waitingTake: (() => void)[] = [];
  #closed = false;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.length;
  }

  /** Waits for room; false when the queue was closed (the item is dropped). */
  async push(item: T): Promise<boolean> {
    while (!this.#closed && this.#items.length >= this.#capacity)
      await new Promise<void>((resolve) => this.#waitingPush.push(resolve));
    if (this.#closed) return false;
    this.#items.push(item);
    this.#wake("take");
    return true;
  }

  /** The oldest item, waiting for one; undefined once closed and empty. */
  async take(): Promise<T | undefined> {
    while (this.#items.length === 0 && !this.#closed)
      await new Promise<void>((resolve) => this.#waitingTake.push(resolve));
    const item = this.#items.shift();
    if (item !== undefined) this.#wake("push");
    return item;
  }

  /** The queued items, oldest first (a view: do not change it). */
  items(): readonly T[] {
    return this.#items;
  }

  /** The oldest item without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** The oldest item if there is one, without waiting. */
  takeNow(): T | undefined {
    const item = this.#items.shift();
    if (item !== undefined) this.#wake("push");
    return item;
  }

  /** No more pushes; takers drain what is left, then get undefined. */
  close(): void {
    this.#closed = true;
    this.#wake("push");
    this.#wake("take");
  }

  /** Drops every queued item (a stop that gave up waiting). */
  clear(): void {
    this.#items.length = 0;
    this.#wake("push");
  }

  #wake(side: "push" | "take"): void {
    const waiting = side === "push" ? this.#waitingPush : this.#waitingTake;
    if (side === "push") this.#waitingPush = [];
    else this.#waitingTake = [];
    for (const resolve of waiting) resolve();
  }
}
