import type { Registry } from "prom-client";
import type { SophiaConfig } from "../../config/types.ts";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import { buildAudit } from "../audit/build.ts";
import { readAudit } from "../audit/config.ts";
import { buildCache } from "../cache/build.ts";
import { readCache } from "../cache/config.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { type Handler, withRequestContext } from "../http/request-context.ts";
import { buildLimits, type SharedState } from "../limits/build.ts";
import { readLimits } from "../limits/config.ts";
import type { Interceptor, ListFilter } from "../mcp/call-pipeline.ts";
import { buildPinning } from "../pinning/build.ts";
import { readPinning } from "../pinning/config.ts";
import { pinningFilter, pinningInterceptor } from "../pinning/interceptor.ts";
import { readRedis } from "../redis/config.ts";
import { RedisPool } from "../redis/pool.ts";
import { readTracing } from "./config.ts";
import { tracingInterceptor } from "./interceptor.ts";
import { GatewayTracing } from "./tracer.ts";

/** The traffic parts, built from `gateway.{limits,cache,audit,pinning,tracing,redis}`. */
export interface Traffic {
  /** Interceptors before policy (the audit log). */
  readonly before: readonly Interceptor[];
  /** Interceptors after policy: pinning, limits, cache, tracing. */
  readonly after: readonly Interceptor[];
  readonly listFilters: readonly ListFilter[];
  /** Wraps the HTTP handler with request ids and spans; the handler itself when neither audit nor tracing is on. */
  wrap(handler: Handler): Handler;
  /** `server/tool` of changed, unapproved tool definitions (pinning mode flag or block). */
  changedTools(): string[] | undefined;
  /** Flushes the audit log and spans, closes Redis connections and stops polling the pin file. */
  close(): Promise<void>;
}

/** Each part is built only when configured: with none, nothing is added to any path. */
export function buildTraffic(
  config: SophiaConfig,
  catalog: Catalog,
  registry: Registry,
  logger: Logger,
): Traffic {
  const pool = new RedisPool(logger);
  const redis = readRedis(config);
  const shared: SharedState = {
    redis: () => pool.get(redis.url),
    prefix: redis.prefix,
    registry,
    logger,
  };
  const [limits, cache, auditConfig, pinning, tracingConfig] = [
    readLimits(config),
    readCache(config),
    readAudit(config),
    readPinning(config),
    readTracing(config),
  ];
  const audit = auditConfig && buildAudit(auditConfig, registry, logger);
  const pins = pinning && buildPinning(pinning, catalog, registry, logger);
  const tracing = tracingConfig && GatewayTracing.fromConfig(tracingConfig);
  const after: Interceptor[] = [];
  if (pins && pins.mode === "block") after.push(pinningInterceptor(pins));
  if (limits) after.push(buildLimits(limits, shared));
  if (cache) after.push(buildCache(cache, shared));
  if (tracing) after.push(tracingInterceptor(tracing));
  return {
    before: audit ? [audit.interceptor] : [],
    after,
    listFilters: pins && pins.mode === "block" ? [pinningFilter(pins)] : [],
    wrap: (handler) => {
      if (!audit && !tracing) return handler;
      return withRequestContext(
        handler,
        tracing && ((c, req, res, run) => tracing.aroundRequest(c, req, res, run)),
      );
    },
    changedTools: () => (pins && pins.mode !== "log" ? pins.changed() : undefined),
    close: async () => {
      // A collector or database that is down must not fail the gateway's shutdown.
      const results = await Promise.allSettled([
        audit?.close(),
        pins?.close(),
        tracing?.shutdown(),
      ]);
      for (const result of results)
        if (result.status === "rejected")
          logger.warn({ err: errorMessage(result.reason) }, "traffic shutdown: could not flush");
      await pool.close();
    },
  };
}
