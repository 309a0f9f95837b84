import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "undici";
import type { Logger } from "../../shared/logger.ts";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import {
  causeOf,
  headerValue,
  isConnectError,
  messageParser,
  readEvents,
  readSnippet,
  retryDelay,
  safeUrl,
} from "./http-common.ts";

export interface ServerStreamOptions {
  server: string;
  url: URL;
  /** Current session headers (session id, protocol version, configured headers). */
  headers: () => Record<string, string>;
  logger: Logger;
  onmessage: (message: JsonRpcMessage) => void;
  onerror: (error: Error) => void;
  /** The session is gone or the server unreachable: the transport must end. */
  onfatal: (error: Error) => void;
}

type Outcome = "stop" | "ended" | "broken" | "busy";

/**
 * The streamable HTTP GET stream: messages the server sends outside any
 * request (list_changed, resource updates). It has a client of its own so it
 * never holds one of the pool's connections. A broken stream is reopened at
 * once, which also detects a dead server quickly (the reopen is refused).
 */
export class ServerStream {
  readonly #options: ServerStreamOptions;
  readonly #client: Client;
  readonly #abort = new AbortController();
  #lastEventId: string | undefined;
  #retryMs: number | undefined;

  constructor(options: ServerStreamOptions) {
    this.#options = options;
    this.#client = new Client(options.url.origin, { bodyTimeout: 0, keepAliveTimeout: 30_000 });
  }

  start(): void {
    this.#run().catch((error: unknown) =>
      this.#options.onerror(new Error(`GET stream failed: ${causeOf(error)}`)),
    );
  }

  stop(): void {
    this.#abort.abort();
    this.#client.destroy().catch(() => {});
  }

  async #run(): Promise<void> {
    while (!this.#abort.signal.aborted) {
      const openedAt = Date.now();
      const outcome = await this.#once();
      if (outcome === "stop" || this.#abort.signal.aborted) return;
      const livedLong = Date.now() - openedAt > 1000;
      const delay = outcome === "broken" && livedLong ? 0 : retryDelay(this.#retryMs);
      if (delay > 0) await sleep(delay, undefined, { signal: this.#abort.signal }).catch(() => {});
    }
  }

  async #once(): Promise<Outcome> {
    const { url, server } = this.#options;
    const headers: Record<string, string> = {
      ...this.#options.headers(),
      accept: "text/event-stream",
    };
    if (this.#lastEventId !== undefined) headers["last-event-id"] = this.#lastEventId;
    let response: Awaited<ReturnType<Client["request"]>>;
    try {
      response = await this.#client.request({
        method: "GET",
        path: `${url.pathname}${url.search}`,
        headers,
        signal: this.#abort.signal,
      });
    } catch (error) {
      if (this.#abort.signal.aborted) return "stop";
      if (!isConnectError(error)) return "broken";
      this.#options.onfatal(
        new Error(`could not be reached at ${safeUrl(url)} (${causeOf(error)})`, { cause: error }),
      );
      return "stop";
    }
    const { statusCode, headers: answer, body } = response;
    if (statusCode === 405) {
      body.dump().catch(() => {});
      this.#options.logger.debug(
        "upstream offers no GET stream; server messages arrive only with responses",
      );
      return "stop";
    }
    if (statusCode === 404) {
      body.dump().catch(() => {});
      this.#options.onfatal(
        new Error("no longer knows the session (HTTP 404); reconnecting with a new session"),
      );
      return "stop";
    }
    if (statusCode === 409) {
      body.dump().catch(() => {});
      return "busy";
    }
    const type = headerValue(answer, "content-type") ?? "";
    if (statusCode !== 200 || !type.startsWith("text/event-stream")) {
      const snippet = await readSnippet(body);
      this.#options.onerror(
        new Error(
          `server ${server} answered HTTP ${statusCode} (${type}) to the GET stream, not listening for server messages: ${snippet}`,
        ),
      );
      return "stop";
    }
    return this.#consume(body);
  }

  async #consume(body: Awaited<ReturnType<Client["request"]>>["body"]): Promise<Outcome> {
    const parser = messageParser(
      this.#options.server,
      this.#options.onmessage,
      this.#options.onerror,
    );
    try {
      await readEvents(body, parser);
      return "ended";
    } catch {
      return this.#abort.signal.aborted ? "stop" : "broken";
    } finally {
      this.#lastEventId = parser.lastEventId ?? this.#lastEventId;
      this.#retryMs = parser.retryMs ?? this.#retryMs;
    }
  }
}
