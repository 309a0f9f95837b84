import type { GatewayConfig } from "../../config/types.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Dispatcher } from "../mcp/dispatcher.ts";
import { GatewayRedis } from "../redis/index.ts";
import type { SessionStore } from "../session/session-store.ts";
import type { Upstream } from "../upstream/types.ts";
import { SharedSessions } from "./shared-sessions.ts";

export interface SharedSetup {
  shared: SharedSessions;
  /** Stops listening for events and closes the Redis connections. */
  close(): Promise<void>;
}

/** Shared sessions for `gateway.sessions.store: redis`; undefined for the memory store (nothing opened). */
export function sharedSessionsFor(
  gateway: GatewayConfig,
  deps: {
    sessions: SessionStore;
    dispatcher: Dispatcher;
    upstreams: ReadonlyMap<string, Upstream>;
    logger: Logger;
  },
): SharedSetup | undefined {
  const config = gateway.sessions;
  if (config.store !== "redis") return undefined;
  const logger = deps.logger.child({ part: "sessions" });
  const redis = new GatewayRedis({ url: config.redis, logger });
  const shared = new SharedSessions({
    ...deps,
    logger,
    redis,
    prefix: config.prefix,
    secret: config.secret,
    idleMs: gateway.sessionIdleMs,
  });
  return {
    shared,
    async close() {
      await shared.close();
      await redis.close();
    },
  };
}
