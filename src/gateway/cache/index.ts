/** The result cache for read-only tools: memory LRU or Redis, keyed per caller unless shared. */

export { buildCache } from "./build.ts";
export { canonicalJson } from "./canonical-json.ts";
export { type CacheConfig, type CacheRule, readCache } from "./config.ts";
export { cacheInterceptor } from "./interceptor.ts";
export { cacheKey } from "./key.ts";
export { CacheMetrics } from "./metrics.ts";
export { type CacheStore, MemoryCacheStore, RedisCacheStore } from "./store.ts";
