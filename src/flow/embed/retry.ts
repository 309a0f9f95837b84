/** Retry timing for embedding calls (pure): exponential backoff and the server's Retry-After. */

export interface BackoffOptions {
  /** First delay in milliseconds; doubled each attempt. */
  baseMs: number;
  /** No wait is ever longer, whatever the server asks. */
  maxMs: number;
}

/** Delay before retry number `attempt` (0-based), with up to 20 % jitter from `random`. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return Math.min(options.maxMs, Math.round(exponential * (1 + 0.2 * random())));
}

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds ("3", "1.5")
 * or an HTTP date. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** 429 and 5xx are worth another try; other statuses will answer the same again. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}
