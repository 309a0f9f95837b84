import type { ServerConfig } from "../../config/types.ts";
import { SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import { StreamableHttpTransport } from "./http-transport.ts";
import { LegacySseTransport } from "./sse-transport.ts";
import { StdioTransport } from "./stdio-transport.ts";
import type { Upstream } from "./types.ts";
import { ManagedUpstream } from "./upstream.ts";

/**
 * The upstream for one configured server: stdio processes (a pool of
 * `pool` replicas), a streamable HTTP session, or a legacy SSE session.
 * Nothing starts until `start()`.
 */
export function createUpstream(name: string, config: ServerConfig, logger: Logger): Upstream {
  switch (config.transport) {
    case "stdio":
      return new ManagedUpstream({
        name,
        config,
        logger,
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
        transport: () =>
          new StreamableHttpTransport({
            name,
            url: config.url,
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
        transport: () =>
          new LegacySseTransport({
            name,
            url: config.url,
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
