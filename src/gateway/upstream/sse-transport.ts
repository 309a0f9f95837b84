import { Client, Pool } from "undici";
import type { Logger } from "../../shared/logger.ts";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import {
  causeOf,
  headerValue,
  isConnectError,
  lowerCaseHeaders,
  messageParser,
  type ResponseBody,
  readEvents,
  readSnippet,
  safeUrl,
} from "./http-common.ts";
import { serverLogger } from "./server-logger.ts";
import type { UpstreamTransport } from "./types.ts";
import { NotDeliveredError } from "./undelivered.ts";

export interface SseTransportOptions {
  name: string;
  /** The SSE endpoint (GET). */
  url: string;
  /** Sent on the GET and every POST. Secrets: never logged. */
  headers: Record<string, string>;
  connections: number;
  logger: Logger;
}

/**
 * Legacy HTTP+SSE client transport (MCP 2024-11-05): a long-lived GET stream
 * announces, in an `endpoint` event, where to POST messages; every answer
 * comes back over that stream. The stream ending ends the transport.
 */
export class LegacySseTransport implements UpstreamTransport {
  onmessage?: (message: JsonRpcMessage, relatedRequestId?: string | number) => void;
  onclose?: (error?: Error) => void;
  onerror?: (error: Error) => void;
  readonly #options: SseTransportOptions;
  readonly #url: URL;
  readonly #headers: Record<string, string>;
  readonly #postHeaders: Record<string, string>;
  readonly #log: Logger;
  readonly #stream: Client;
  readonly #pool: Pool;
  readonly #abort = new AbortController();
  #endpoint: string | undefined;
  #closed = false;

  constructor(options: SseTransportOptions) {
    this.#options = options;
    this.#url = new URL(options.url);
    this.#headers = lowerCaseHeaders(options.headers);
    this.#postHeaders = { ...this.#headers, "content-type": "application/json" };
    this.#log = serverLogger(options.logger, options.name);
    this.#stream = new Client(this.#url.origin, { bodyTimeout: 0 });
    this.#pool = new Pool(this.#url.origin, {
      connections: Math.max(1, options.connections),
      pipelining: 1,
    });
  }

  /** Opens the stream and waits for the `endpoint` event. */
  async start(): Promise<void> {
    let response: Awaited<ReturnType<Client["request"]>>;
    try {
      response = await this.#stream.request({
        method: "GET",
        path: `${this.#url.pathname}${this.#url.search}`,
        headers: { ...this.#headers, accept: "text/event-stream" },
        signal: this.#abort.signal,
      });
    } catch (error) {
      throw new Error(`could not be reached at ${safeUrl(this.#url)} (${causeOf(error)})`, {
        cause: error,
      });
    }
    const type = headerValue(response.headers, "content-type") ?? "";
    if (response.statusCode !== 200 || !type.startsWith("text/event-stream")) {
      const snippet = await readSnippet(response.body);
      throw new Error(
        `answered HTTP ${response.statusCode} (${type}) to the SSE GET at ${safeUrl(this.#url)}: ${snippet}`,
      );
    }
    await this.#awaitEndpoint(response.body);
  }

  async send(message: JsonRpcMessage): Promise<void> {
    const endpoint = this.#endpoint;
    if (endpoint === undefined || this.#closed) throw new Error("has no open SSE session");
    let response: Awaited<ReturnType<Pool["request"]>>;
    try {
      response = await this.#pool.request({
        method: "POST",
        path: endpoint,
        headers: this.#postHeaders,
        body: JSON.stringify(message),
      });
    } catch (error) {
      const failure = new Error(
        `could not be reached at ${safeUrl(this.#url)} (${causeOf(error)})`,
        { cause: error },
      );
      if (!isConnectError(error)) throw failure;
      throw this.#undelivered(new NotDeliveredError(failure.message, { cause: error }));
    }
    if (response.statusCode >= 200 && response.statusCode < 300) {
      response.body.dump().catch(() => {});
      return;
    }
    const snippet = await readSnippet(response.body);
    if (response.statusCode === 404)
      throw this.#undelivered(
        new NotDeliveredError(`no longer knows the SSE session (HTTP 404): ${snippet}`),
      );
    throw new Error(`answered HTTP ${response.statusCode} to a POST: ${snippet}`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    await Promise.allSettled([this.#stream.destroy(), this.#pool.destroy()]);
    this.onclose?.();
  }

  #awaitEndpoint(body: ResponseBody): Promise<void> {
    const endpoint = Promise.withResolvers<void>();
    const parser = messageParser(
      this.#options.name,
      (message) => this.onmessage?.(message),
      (error) => this.onerror?.(error),
      (event, data) => {
        if (event !== "endpoint") return;
        try {
          this.#endpoint = this.#resolveEndpoint(data);
          endpoint.resolve();
        } catch (error) {
          endpoint.reject(error);
          body.destroy();
        }
      },
    );
    readEvents(body, parser).then(
      () => this.#streamEnded(new Error("closed its SSE stream"), endpoint.reject),
      (error: unknown) =>
        this.#streamEnded(new Error(`lost its SSE stream (${causeOf(error)})`), endpoint.reject),
    );
    return endpoint.promise;
  }

  #streamEnded(error: Error, rejectStart: (error: Error) => void): void {
    if (this.#endpoint === undefined)
      rejectStart(new Error(`${error.message} before announcing its endpoint`));
    else this.#fail(error);
  }

  /** The POST target, kept to the SSE URL's origin: the spec requires it, and headers carry secrets. */
  #resolveEndpoint(data: string): string {
    const target = new URL(data.trim(), this.#url);
    if (target.origin !== this.#url.origin) {
      throw new Error(
        `announced an endpoint on another origin (${target.origin}); refusing to send it messages`,
      );
    }
    this.#log.debug({ endpoint: target.pathname }, "legacy SSE endpoint announced");
    return `${target.pathname}${target.search}`;
  }

  /** Fails the send first (its call may be sent again elsewhere), then the transport. */
  #undelivered(error: NotDeliveredError): NotDeliveredError {
    setImmediate(() => this.#fail(error));
    return error;
  }

  #fail(error: Error): Error {
    if (this.#closed) return error;
    this.#closed = true;
    this.#abort.abort();
    this.#stream.destroy().catch(() => {});
    this.#pool.destroy().catch(() => {});
    this.onclose?.(error);
    return error;
  }
}
