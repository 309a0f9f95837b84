import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { CallInfo, Interceptor } from "../mcp/call-pipeline.ts";
import { failure } from "../mcp/outcomes.ts";
import type { CallOutcome } from "../upstream/types.ts";
import type { LimitsConfig } from "./config.ts";
import { BucketRefCache } from "./keys.ts";
import type { LimitMetrics } from "./metrics.ts";
import type { LimitStore, TakeResult } from "./store.ts";
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
  const refsFor = new BucketRefCache(config.rules);
  const refused = (call: CallInfo, result: TakeResult & { allowed: false }): CallOutcome => {
    deps.metrics.limited.inc({ rule: result.rule, server: call.server });
    const seconds = Math.ceil(result.retryAfterMs / 1000);
    return failure(
      RATE_LIMITED,
      `Rate limited: ${call.kind} "${call.exposedName}" exceeds limit "${result.rule}"; retry in ${seconds} s`,
      { retryAfterMs: result.retryAfterMs, rule: result.rule },
    );
  };
  // No async function: the memory store answers at once, so an allowed call costs no extra promise.
  return (call, next) => {
    const refs = refsFor.for(call);
    if (refs.length === 0) return next();
    const store = deps.store;
    if (store.takeNow !== undefined) {
      let result: TakeResult;
      try {
        result = store.takeNow(refs);
      } catch (error) {
        return storeDown(error) ? next() : Promise.resolve(storeRefusal(call));
      }
      return result.allowed ? next() : Promise.resolve(refused(call, result));
    }
    return store.take(refs).then(
      (result) => (result.allowed ? next() : refused(call, result)),
      (error: unknown) => (storeDown(error) ? next() : storeRefusal(call)),
    );
  };
}

function storeRefusal(call: CallInfo): CallOutcome {
  return failure(
    RATE_LIMITED,
    `Rate limit store unavailable: ${call.kind} "${call.exposedName}" refused (gateway.limits.onStoreDown is "deny"); retry shortly`,
    { retryAfterMs: 1000, rule: "store-unavailable" },
  );
}
