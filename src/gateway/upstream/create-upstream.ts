import type { ServerConfig } from "../../config/types.ts";
import { SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { ResilienceObserver } from "../resilience/observer.ts";
import type { AnnotationsOf } from "../resilience/retry-rules.ts";
import { type BuiltinRegistry, BuiltinTransport } from "./builtin-transport.ts";
import { StreamableHttpTransport } from "./http-transport.ts";
import { LegacySseTransport } from "./sse-transport.ts";
import { StdioTransport } from "./stdio-transport.ts";
import type { Upstream } from "./types.ts";
import { ManagedUpstream } from "./upstream.ts";

/** What the gateway lends every upstream: metrics and the catalog's tool annotations. */
export interface UpstreamHooks {
  observer?: ResilienceObserver | undefined;
  annotationsOf?: AnnotationsOf | undefined;
  /** Built-in servers by name (the CLI registers them; the gateway never imports them). */
  builtins?: BuiltinRegistry | undefined;
}

/** `createUpstream` with the built-in servers bound in, as the gateway's default factory. */
export function upstreamFactory(builtins: BuiltinRegistry | undefined) {
  return (name: string, config: ServerConfig, logger: Logger, hooks: UpstreamHooks = {}) =>
    createUpstream(name, config, logger, { builtins, ...hooks });
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
      return builtinUpstream(name, config, logger, hooks);
  }
}

function builtinUpstream(
  name: string,
  config: Extract<ServerConfig, { transport: "builtin" }>,
  logger: Logger,
  hooks: UpstreamHooks,
): Upstream {
  const server = hooks.builtins?.[config.builtin];
  if (server === undefined) {
    const known = Object.keys(hooks.builtins ?? {});
    throw new SophiaError(
      "CONFIG_INVALID",
      `server ${name}: there is no built-in server named "${config.builtin}"`,
      {
        hint:
          known.length > 0
            ? `use one of: ${known.join(", ")}`
            : "built-in servers are only available through the sophia command (sophia serve / up)",
      },
    );
  }
  const connect = server.prepare({ name, options: config.options, logger });
  const { builtins: _, ...rest } = hooks;
  return new ManagedUpstream({
    name,
    config,
    logger,
    ...rest,
    replicas: 1,
    transport: () => new BuiltinTransport(connect),
  });
}
