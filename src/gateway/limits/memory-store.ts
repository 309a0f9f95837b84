import { type Check, decide, type LimitState, lifetimeMs } from "./bucket.ts";
import type { BucketRef } from "./keys.ts";
import type { LimitStore, TakeResult } from "./store.ts";

const ALLOWED: TakeResult = Object.freeze({ allowed: true });

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
    return Promise.resolve(this.takeNow(refs));
  }

  /** As take, answered at once: the limits interceptor needs no promise for this store. */
  takeNow(refs: readonly BucketRef[]): TakeResult {
    const now = this.#now();
    const entries: (Entry | undefined)[] = [];
    const checks: Check[] = [];
    for (const ref of refs) {
      const entry = this.#entries.get(ref.key);
      entries.push(entry);
      checks.push({
        limit: ref.rule.limit,
        state: entry && entry.expiresAt > now ? entry.state : undefined,
      });
    }
    const decision = decide(checks, now);
    if (!decision.allowed) {
      const rule = refs[decision.denied]?.rule.name ?? "unknown";
      return { allowed: false, retryAfterMs: decision.retryAfterMs, rule };
    }
    for (let index = 0; index < refs.length; index++) {
      const ref = refs[index] as BucketRef;
      const state = decision.states[index] as LimitState;
      const expiresAt = now + lifetimeMs(ref.rule.limit, now);
      const entry = entries[index];
      // Updated in place: no new entry per call for a bucket already held.
      if (entry !== undefined) {
        entry.state = state;
        entry.expiresAt = expiresAt;
      } else this.#entries.set(ref.key, { state, expiresAt });
    }
    if (this.#entries.size > this.#sweepAt) this.#sweep(now);
    return ALLOWED;
  }

  /** Drops states that have refilled (bounded memory with many callers). */
  #sweep(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
