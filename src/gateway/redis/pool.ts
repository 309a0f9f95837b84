import type { Logger } from "../../shared/logger.ts";
import { GatewayRedis } from "./client.ts";

/**
 * One connection per Redis URL for the whole gateway: rate limits, the
 * result cache and shared sessions pointing at the same Redis share it.
 * Connections open on first use, so a gateway without Redis opens none.
 */
export class RedisPool {
  readonly #connections = new Map<string, GatewayRedis>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger.child({ part: "redis" });
  }

  get(url: string): GatewayRedis {
    let connection = this.#connections.get(url);
    if (!connection) {
      connection = new GatewayRedis({ url, logger: this.#logger });
      this.#connections.set(url, connection);
    }
    return connection;
  }

  async close(): Promise<void> {
    const all = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(all.map((connection) => connection.close()));
  }
}
