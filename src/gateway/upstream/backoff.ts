export interface BackoffPolicy {
  /** Delay before the first restart. */
  initialMs: number;
  /** Ceiling of the doubling. */
  maxMs: number;
  /** A replica healthy this long earns a fresh start (attempts back to zero). */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialMs: 200,
  maxMs: 30_000,
  resetAfterMs: 60_000,
};

/**
 * Delay before restart number `attempt` (0-based): doubling from `initialMs`
 * up to `maxMs`, then jittered into [half, full] so replicas of many servers
 * that died together do not all come back in the same instant.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base / 2 + (random() * base) / 2);
}
