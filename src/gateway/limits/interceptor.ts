import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Interceptor } from "../mcp/call-pipeline.ts";
import { failure } from "../mcp/outcomes.ts";
import type { LimitsConfig } from "./config.ts";
import { bucketsFor } from "./keys.ts";
import type { LimitMetrics } from "./metrics.ts";
import type { LimitStore } from "./store.ts";
import { RATE_LIMITED } from "./wire.ts";

/** Store outages are logged at most this often (a warning per call would flood the log). */
const WARN_EVERY_MS = 30_000;

export interface LimitDeps {
  store: LimitStore;
  metrics: LimitMetrics;
  logger: Logger;
}

/** After policy: a denied call never uses up anyone's tokens. */
export function limitsInterceptor(config: LimitsConfig, deps: LimitDeps): Interceptor {
  let warnedAt = Number.NEGATIVE_INFINITY;
  const storeDown = (error: unknown): boolean => {
    const allow = config.onStoreDown === "allow";
    deps.metrics.storeErrors.inc({ store: deps.store.kind, outcome: allow ? "allowed" : "denied" });
    if (Date.now() - warnedAt >= WARN_EVERY_MS) {
      warnedAt = Date.now();
      deps.logger.warn(
        { err: errorMessage(error), onStoreDown: config.onStoreDown },
        allow
          ? "rate limits not enforced: store unavailable"
          : "calls refused: limit store unavailable",
      );
    }
    return allow;
  };
  return async (call, next) => {
    const refs = bucketsFor(config.rules, call);
    if (refs.length === 0) return next();
    let result: Awaited<ReturnType<LimitStore["take"]>>;
    try {
      result = await deps.store.take(refs);
    } catch (error) {
      if (storeDown(error)) return next();
      return failure(
        RATE_LIMITED,
        `Rate limit store unavailable: ${call.kind} "${call.exposedName}" refused (gateway.limits.onStoreDown is "deny"); retry shortly`,
        { retryAfterMs: 1000, rule: "store-unavailable" },
      );
    }
    if (result.allowed) return next();
    deps.metrics.limited.inc({ rule: result.rule, server: call.server });
    const seconds = Math.ceil(result.retryAfterMs / 1000);
    return failure(
      RATE_LIMITED,
      `Rate limited: ${call.kind} "${call.exposedName}" exceeds limit "${result.rule}"; retry in ${seconds} s`,
      { retryAfterMs: result.retryAfterMs, rule: result.rule },
    );
  };
}
