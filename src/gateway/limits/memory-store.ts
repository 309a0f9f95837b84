import { decide, type LimitState, lifetimeMs } from "./bucket.ts";
import type { BucketRef } from "./keys.ts";
import type { LimitStore, TakeResult } from "./store.ts";

interface Entry {
  state: LimitState;
  /** After this the state equals a fresh bucket and may be dropped. */
  expiresAt: number;
}

/** Buckets in this process: exact and fast, but each gateway instance counts on its own. */
export class MemoryLimitStore implements LimitStore {
  readonly kind = "memory";
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #sweepAt: number;

  constructor(options: { now?: () => number; sweepAt?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweepAt = options.sweepAt ?? 100_000;
  }

  get size(): number {
    return this.#entries.size;
  }

  take(refs: readonly BucketRef[]): Promise<TakeResult> {
    const now = this.#now();
    const checks = refs.map((ref) => {
      const entry = this.#entries.get(ref.key);
      const state = entry && entry.expiresAt > now ? entry.state : undefined;
      return { limit: ref.rule.limit, state };
    });
    const decision = decide(checks, now);
    if (!decision.allowed) {
      const rule = refs[decision.denied]?.rule.name ?? "unknown";
      return Promise.resolve({ allowed: false, retryAfterMs: decision.retryAfterMs, rule });
    }
    refs.forEach((ref, index) => {
      const state = decision.states[index] as LimitState;
      this.#entries.set(ref.key, { state, expiresAt: now + lifetimeMs(ref.rule.limit, now) });
    });
    if (this.#entries.size > this.#sweepAt) this.#sweep(now);
    return Promise.resolve({ allowed: true });
  }

  /** Drops states that have refilled (bounded memory with many callers). */
  #sweep(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
