import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { CallInfo, Interceptor } from "../mcp/call-pipeline.ts";
import type { CallOutcome } from "../upstream/types.ts";
import { type CacheConfig, type CacheRule, ruleFor } from "./config.ts";
import { cacheKey } from "./key.ts";
import type { CacheMetrics } from "./metrics.ts";
import type { CacheStore } from "./store.ts";

const WARN_EVERY_MS = 30_000;

export interface CacheDeps {
  store: CacheStore;
  metrics: CacheMetrics;
  logger: Logger;
}

/** Only read-only tools a rule opts in; prompts and resources pass through. */
function cacheable(config: CacheConfig, call: CallInfo): CacheRule | undefined {
  if (call.kind !== "tool" || call.annotations?.readOnlyHint !== true) return undefined;
  return ruleFor(config, call.server, call.name);
}

/**
 * After policy and limits: a hit still counts against the caller's limits.
 * Errors and isError results are never stored. A store that fails is
 * bypassed (the call goes upstream), with a logged warning and a metric.
 */
export function cacheInterceptor(config: CacheConfig, deps: CacheDeps): Interceptor {
  let warnedAt = Number.NEGATIVE_INFINITY;
  const failed = (call: CallInfo, error: unknown) => {
    deps.metrics.lookups.inc({ server: call.server, result: "store_error" });
    if (Date.now() - warnedAt < WARN_EVERY_MS) return;
    warnedAt = Date.now();
    deps.logger.warn({ err: errorMessage(error) }, "result cache bypassed: store unavailable");
  };
  return async (call, next) => {
    const rule = cacheable(config, call);
    if (!rule) {
      deps.metrics.lookups.inc({ server: call.server, result: "bypass" });
      return next();
    }
    const key = cacheKey(
      call.server,
      call.name,
      call.arguments,
      rule.shared ? undefined : call.principal,
    );
    let stored: string | undefined;
    try {
      stored = await deps.store.get(key);
    } catch (error) {
      failed(call, error);
      return next();
    }
    if (stored !== undefined) {
      deps.metrics.lookups.inc({ server: call.server, result: "hit" });
      // A fresh object per hit: later stages may add fields to a result.
      return { result: JSON.parse(stored) as Record<string, unknown> };
    }
    deps.metrics.lookups.inc({ server: call.server, result: "miss" });
    const outcome = await next();
    if (storable(outcome)) {
      deps.store
        .set(key, JSON.stringify(outcome.result), rule.ttlMs)
        .catch((e: unknown) => failed(call, e));
    }
    return outcome;
  };
}

function storable(outcome: CallOutcome): outcome is { result: Record<string, unknown> } {
  return "result" in outcome && outcome.result.isError !== true;
}
