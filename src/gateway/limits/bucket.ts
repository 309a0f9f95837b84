/**
 * Pure rate-limit math, shared by the in-memory store and mirrored by the
 * Redis Lua script. Times are milliseconds; a call costs one token.
 */

/** A token bucket: `rate` tokens per millisecond up to `burst`. */
export interface BucketLimit {
  readonly kind: "bucket";
  readonly ratePerMs: number;
  readonly burst: number;
}

/** A quota: at most `limit` calls per calendar period (UTC day or month). */
export interface QuotaLimit {
  readonly kind: "quota";
  readonly limit: number;
  readonly period: QuotaPeriod;
}

export type QuotaPeriod = "day" | "month";
export type Limit = BucketLimit | QuotaLimit;

/** Bucket state: tokens left at time `at`. Quota state: calls counted in period `period`. */
export interface BucketState {
  tokens: number;
  at: number;
}
export interface QuotaState {
  count: number;
  period: string;
}
export type LimitState = BucketState | QuotaState;

export interface Check {
  readonly limit: Limit;
  readonly state: LimitState | undefined;
}

export type Decision =
  | { allowed: true; states: LimitState[] }
  /** `denied` is the index of the check that refused (the one that frees up last). */
  | { allowed: false; retryAfterMs: number; denied: number };

/** Tokens in the bucket at `now` (a clock going backwards refills nothing). */
export function tokensAt(limit: BucketLimit, state: BucketState | undefined, now: number): number {
  if (!state) return limit.burst;
  const elapsed = Math.max(0, now - state.at);
  return Math.min(limit.burst, state.tokens + elapsed * limit.ratePerMs);
}

/** The UTC period `now` falls in and when it ends. */
export function periodOf(period: QuotaPeriod, now: number): { id: string; endsAt: number } {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (period === "month") {
    return { id: `${year}-${month + 1}`, endsAt: Date.UTC(year, month + 1, 1) };
  }
  const day = date.getUTCDate();
  return { id: `${year}-${month + 1}-${day}`, endsAt: Date.UTC(year, month, day + 1) };
}

/**
 * All checks pass or none is charged: a call refused by one rule does not use
 * up tokens of another. Retry-after is the longest wait among the refusals.
 */
export function decide(checks: readonly Check[], now: number): Decision {
  const states: LimitState[] = [];
  let retryAfterMs = 0;
  let denied = -1;
  checks.forEach(({ limit, state }, index) => {
    const wait = waitFor(limit, state, now);
    if (wait > 0 && wait >= retryAfterMs) {
      retryAfterMs = wait;
      denied = index;
    }
    if (wait === 0) states.push(charge(limit, state, now));
  });
  if (denied >= 0) return { allowed: false, retryAfterMs, denied };
  return { allowed: true, states };
}

/** Milliseconds until one call would pass (0: passes now). */
function waitFor(limit: Limit, state: LimitState | undefined, now: number): number {
  if (limit.kind === "bucket") {
    const tokens = tokensAt(limit, state as BucketState | undefined, now);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / limit.ratePerMs));
  }
  const { id, endsAt } = periodOf(limit.period, now);
  const used = (state as QuotaState | undefined)?.period === id ? (state as QuotaState).count : 0;
  return used < limit.limit ? 0 : Math.max(1, endsAt - now);
}

function charge(limit: Limit, state: LimitState | undefined, now: number): LimitState {
  if (limit.kind === "bucket") {
    const tokens = tokensAt(limit, state as BucketState | undefined, now);
    return { tokens: tokens - 1, at: Math.max(now, (state as BucketState | undefined)?.at ?? now) };
  }
  const { id } = periodOf(limit.period, now);
  const quota = state as QuotaState | undefined;
  return { count: quota?.period === id ? quota.count + 1 : 1, period: id };
}

/** How long a state matters: after this it equals a fresh (absent) state and may be dropped. */
export function lifetimeMs(limit: Limit, now: number): number {
  if (limit.kind === "bucket") return Math.ceil(limit.burst / limit.ratePerMs);
  return periodOf(limit.period, now).endsAt - now;
}
