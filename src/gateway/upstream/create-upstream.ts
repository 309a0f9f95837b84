import type { ServerConfig } from "../../config/types.ts";
import { SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { ResilienceObserver } from "../resilience/observer.ts";
import type { AnnotationsOf } from "../resilience/retry-rules.ts";
import { StreamableHttpTransport } from "./http-transport.ts";
import { LegacySseTransport } from "./sse-transport.ts";
import { StdioTransport } from "./stdio-transport.ts";
import type { Upstream } from "./types.ts";
import { ManagedUpstream } from "./upstream.ts";

/** What the gateway lends every upstream: metrics and the catalog's tool annotations. */
export interface UpstreamHooks {
  observer?: ResilienceObserver | undefined;
  annotationsOf?: AnnotationsOf | undefined;
}

/**
 * The upstream for one configured server: stdio processes (a pool of
 * `pool` replicas), streamable HTTP sessions or legacy SSE sessions (one
 * replica per URL of `urls`). Nothing starts until `start()`.
 */
export function createUpstream(
  name: string,
  config: ServerConfig,
  logger: Logger,
  hooks: UpstreamHooks = {},
): Upstream {
  const http = config.transport === "streamable-http" || config.transport === "sse";
  const urlOf = (index: number) => (http ? (config.urls?.[index] ?? config.url) : "");
  const replicasOf = http ? (config.urls?.length ?? 1) : 1;
  switch (config.transport) {
    case "stdio":
      return new ManagedUpstream({
        name,
        config,
        logger,
        ...hooks,
        replicas: config.pool,
        transport: () =>
          new StdioTransport({
            name,
            command: config.command,
            args: config.args,
            env: config.env,
            cwd: config.cwd,
            logger,
          }),
      });
    case "streamable-http":
      return new ManagedUpstream({
        name,
        config,
        logger,
        ...hooks,
        replicas: replicasOf,
        transport: (index) =>
          new StreamableHttpTransport({
            name,
            url: urlOf(index),
            headers: config.headers,
            connections: config.connections,
            logger,
          }),
      });
    case "sse":
      return new ManagedUpstream({
        name,
        config,
        logger,
        ...hooks,
        replicas: replicasOf,
        transport: (index) =>
          new LegacySseTransport({
            name,
            url: urlOf(index),
            headers: config.headers,
            connections: config.connections,
            logger,
          }),
      });
    case "builtin":
      throw new SophiaError(
        "CONFIG_INVALID",
        `built-in server ${config.builtin} is not available yet (server ${name})`,
        {
          hint: `remove server ${name} from the configuration or disable it with enabled: false`,
        },
      );
  }
}
