import type { BucketRef } from "./keys.ts";

/** What the limiter answers for one call. */
export type TakeResult = { allowed: true } | { allowed: false; retryAfterMs: number; rule: string };

/** Where bucket states live: this process (memory) or Redis (shared by every gateway instance). */
export interface LimitStore {
  readonly kind: "memory" | "redis";
  /** Charges every bucket or none. Rejects (REDIS_UNAVAILABLE) when the store cannot answer. */
  take(refs: readonly BucketRef[]): Promise<TakeResult>;
  /** Stores that answer without I/O (memory) also answer synchronously: no promise per call. */
  takeNow?(refs: readonly BucketRef[]): TakeResult;
}
