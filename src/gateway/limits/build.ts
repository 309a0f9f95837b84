import type { Registry } from "prom-client";
import type { Logger } from "../../shared/logger.ts";
import type { Interceptor } from "../mcp/call-pipeline.ts";
import type { GatewayRedis } from "../redis/client.ts";
import type { LimitsConfig } from "./config.ts";
import { limitsInterceptor } from "./interceptor.ts";
import { MemoryLimitStore } from "./memory-store.ts";
import { LimitMetrics } from "./metrics.ts";
import { RedisLimitStore } from "./redis-store.ts";

export interface SharedState {
  /** The gateway's Redis connection (opened on first use). */
  redis: () => GatewayRedis;
  prefix: string;
  registry: Registry;
  logger: Logger;
}

export function buildLimits(config: LimitsConfig, shared: SharedState): Interceptor {
  const store =
    config.store === "redis"
      ? new RedisLimitStore(shared.redis(), shared.prefix)
      : new MemoryLimitStore();
  return limitsInterceptor(config, {
    store,
    metrics: new LimitMetrics(shared.registry),
    logger: shared.logger.child({ part: "limits" }),
  });
}
