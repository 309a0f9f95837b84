/** Retrying with capped exponential backoff until success or an abort. */

export interface Backoff {
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstMs: 100, maxMs: 10_000 };

/** Delay before attempt `attempt` (1 = first retry): doubles from firstMs, capped, with ±20% jitter. */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  const base = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class Aborted extends Error {
  constructor() {
    super("stopped while retrying");
    this.name = "Aborted";
  }
}

/**
 * Runs `work` until it resolves. Each failure is passed to `onFailure` and
 * followed by a backoff pause; an abort ends the wait with `Aborted`.
 */
export async function retryUntil<T>(
  work: () => Promise<T>,
  options: {
    backoff: Backoff;
    signal: AbortSignal;
    onFailure(error: unknown, attempt: number): void;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (options.signal.aborted) throw new Aborted();
    try {
      return await work();
    } catch (error) {
      if (options.signal.aborted) throw new Aborted();
      options.onFailure(error, attempt);
      await pause(backoffDelay(options.backoff, attempt), options.signal);
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new Aborted());
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
