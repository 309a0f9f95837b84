/** A normal (non-replication) connection to the source, opened on demand and reopened after a failure. */
import pg from "pg";

export class SourceDb {
  readonly #connectionString: string;
  #client: Promise<pg.Client> | undefined;

  constructor(connectionString: string) {
    this.#connectionString = connectionString;
  }

  async use<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    if (this.#client === undefined) this.#client = this.#open();
    const pending = this.#client;
    try {
      return await work(await pending);
    } catch (error) {
      if (this.#client === pending && isConnectionError(error)) this.#client = undefined;
      throw error;
    }
  }

  async #open(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.#connectionString,
      application_name: "sophia-flow",
    });
    client.on("error", () => {
      this.#client = undefined;
    });
    try {
      await client.connect();
    } catch (error) {
      this.#client = undefined;
      throw error;
    }
    return client;
  }

  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    if (pending === undefined) return;
    const client = await pending.catch(() => undefined);
    await client?.end().catch(() => {});
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code !== "string" ||
    code.startsWith("08") ||
    code.startsWith("57") ||
    code.startsWith("E")
  );
}
