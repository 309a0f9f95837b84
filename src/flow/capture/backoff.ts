/** Reconnect delays: 200 ms doubling to 10 s, with ±20% jitter so instances do not retry in step. */
export const BACKOFF_MIN_MS = 200;
export const BACKOFF_MAX_MS = 10_000;

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}
