import type { SharedState } from "../limits/build.ts";
import type { Interceptor } from "../mcp/call-pipeline.ts";
import type { CacheConfig } from "./config.ts";
import { cacheInterceptor } from "./interceptor.ts";
import { CacheMetrics } from "./metrics.ts";
import { type CacheStore, MemoryCacheStore, RedisCacheStore } from "./store.ts";

export function buildCache(config: CacheConfig, shared: SharedState): Interceptor {
  const store: CacheStore =
    config.store === "redis"
      ? new RedisCacheStore(shared.redis(), shared.prefix, config.maxBytes)
      : new MemoryCacheStore({ maxEntries: config.maxEntries, maxBytes: config.maxBytes });
  return cacheInterceptor(config, {
    store,
    metrics: new CacheMetrics(shared.registry, store),
    logger: shared.logger.child({ part: "cache" }),
  });
}
