/** Rate limits and quotas: token buckets per key, subject, server or tool, in memory or Redis. */
export { decide, type Limit, periodOf } from "./bucket.ts";
export { buildLimits, type SharedState } from "./build.ts";
export { type LimitRule, type LimitsConfig, readLimits } from "./config.ts";
export { limitsInterceptor } from "./interceptor.ts";
export { MemoryLimitStore } from "./memory-store.ts";
export { LimitMetrics } from "./metrics.ts";
export { RedisLimitStore } from "./redis-store.ts";
export type { LimitStore, TakeResult } from "./store.ts";
export { RATE_LIMITED } from "./wire.ts";
