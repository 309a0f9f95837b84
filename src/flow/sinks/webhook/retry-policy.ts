/**
 * When to retry a webhook request and how long to wait: exponential backoff
 * with full jitter, capped per delay and in total, and Retry-After honoured.
 */

export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  /** Total time from the first attempt after which the request is dead-lettered. */
  maxElapsedMs: number;
}

export type AttemptResult =
  | { kind: "status"; status: number; retryAfter?: string | undefined }
  | { kind: "network"; message: string };

/** 2xx done; 408, 429, 5xx and network errors retry; any other status is permanent. */
export function classify(result: AttemptResult): "done" | "retry" | "permanent" {
  if (result.kind === "network") return "retry";
  const { status } = result;
  if (status >= 200 && status < 300) return "done";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  return "permanent";
}

/** Retry-After as seconds ("3") or an HTTP date, in milliseconds from `nowMs`; undefined if absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Full jitter: uniform in [0, min(maxDelay, initial · 2^(attempt-1))]. `attempt` counts from 1. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before attempt `attempt + 1`, or undefined when the request must
 * give up (attempts used up, or the wait would pass the total time budget).
 * A server's Retry-After is waited in full, even above maxDelay: sending
 * sooner would only be refused again.
 */
export function nextDelay(
  policy: RetryPolicy,
  attempt: number,
  elapsedMs: number,
  retryAfter: number | undefined,
  random: () => number,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const delay = Math.max(backoffMs(policy, attempt, random), retryAfter ?? 0);
  return elapsedMs + delay > policy.maxElapsedMs ? undefined : delay;
}
