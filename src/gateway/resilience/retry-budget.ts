import { WindowCounter } from "./window-counter.ts";

/** Retries below this many per window are always allowed, so a quiet server can still retry. */
const MIN_RETRIES_PER_WINDOW = 3;
const BUDGET_WINDOW_MS = 10_000;

/**
 * Caps retries at a share of calls over a sliding window, per upstream, so a
 * failing server is not hit with more and more repeats of its own load.
 * Pure: the caller passes the time.
 */
export class RetryBudget {
  readonly #ratio: number;
  readonly #counter: WindowCounter;

  constructor(ratio: number, windowMs = BUDGET_WINDOW_MS) {
    this.#ratio = ratio;
    this.#counter = new WindowCounter(windowMs);
  }

  /** Counts one original call (not a retry). */
  call(now: number): void {
    this.#counter.add(now, false);
  }

  /** Takes one retry from the budget; false when it is spent. */
  tryRetry(now: number): boolean {
    const { total, hits: retries } = this.#counter.sum(now);
    const allowed = Math.max(MIN_RETRIES_PER_WINDOW, this.#ratio * (total - retries));
    if (retries + 1 > allowed) return false;
    this.#counter.add(now, true);
    return true;
  }
}
