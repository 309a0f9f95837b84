/**
 * Idle heartbeat: a transactional logical message on a normal connection,
 * so an idle publication beside a busy database still lets its slot advance
 * (the engine acknowledges the message's commit like any other checkpoint).
 */
import pg from "pg";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";

export const HEARTBEAT_PREFIX = "sophia.heartbeat";

export class Heartbeat {
  readonly #connectionString: string;
  readonly #logger: Logger;
  #client: pg.Client | undefined;

  constructor(connectionString: string, logger: Logger) {
    this.#connectionString = connectionString;
    this.#logger = logger;
  }

  async emit(): Promise<void> {
    try {
      if (this.#client === undefined) {
        const client = new pg.Client({
          connectionString: this.#connectionString,
          application_name: "sophia-heartbeat",
        });
        client.on("error", () => {
          if (this.#client === client) this.#client = undefined;
        });
        await client.connect();
        this.#client = client;
      }
      await this.#client.query("SELECT pg_logical_emit_message(true, $1, '')", [HEARTBEAT_PREFIX]);
    } catch (error) {
      this.#logger.warn(
        { err: errorMessage(error) },
        "flow heartbeat failed; retrying at the next interval",
      );
      await this.close();
    }
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}
