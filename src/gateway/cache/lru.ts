interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * A least-recently-used map of strings bounded by entry count and total
 * bytes (UTF-16 length × 2 as an estimate), with a TTL per entry.
 */
export class Lru {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: { maxEntries: number; maxBytes: number; now?: () => number }) {
    this.#maxEntries = options.maxEntries;
    this.#maxBytes = options.maxBytes;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) {
      this.#bytes -= weight(key, entry.value);
      return undefined;
    }
    // Re-inserting moves it to the young end of the Map's order.
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: string, ttlMs: number): void {
    this.delete(key);
    const size = weight(key, value);
    if (size > this.#maxBytes) return;
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    this.#bytes += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= weight(oldest, entry.value);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= weight(key, entry.value);
  }
}

function weight(key: string, value: string): number {
  return (key.length + value.length) * 2;
}
