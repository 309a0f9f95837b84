import { Pool } from "undici";
import type { Logger } from "../../shared/logger.ts";
import {
  isResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  validateMessage,
} from "../jsonrpc/messages.ts";
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
import { StreamResumption } from "./http-resume.ts";
import { ServerStream } from "./http-server-stream.ts";
import { serverLogger } from "./server-logger.ts";
import type { UpstreamTransport } from "./types.ts";
import { NotDeliveredError } from "./undelivered.ts";

export interface HttpTransportOptions {
  name: string;
  url: string;
  /** Sent on every request. Values are secrets: they never reach a log line or a message. */
  headers: Record<string, string>;
  /** Keep-alive connections in the pool (calls answered by a stream hold one each while they run). */
  connections: number;
  logger: Logger;
}

const ACCEPT = "application/json, text/event-stream";

/** What a request in flight holds open: its response stream, or the resumption of it. */
type OpenStream = { destroy(): void };

/**
 * Streamable HTTP client transport (MCP 2025-03-26 and later): one POST per
 * message over a keep-alive undici pool; answers come back as JSON or as an
 * SSE stream scoped to the POSTed request. After `notifications/initialized`
 * it listens on the GET stream for messages not tied to a request, when the
 * server offers one.
 */
export class StreamableHttpTransport implements UpstreamTransport {
  onmessage?: (message: JsonRpcMessage, relatedRequestId?: string | number) => void;
  onclose?: (error?: Error) => void;
  onerror?: (error: Error) => void;
  readonly #options: HttpTransportOptions;
  readonly #url: URL;
  readonly #path: string;
  readonly #configured: Record<string, string>;
  readonly #log: Logger;
  readonly #pool: Pool;
  /**
   * Responses and notifications go over connections of their own: with every
   * pool connection held by a long call's stream, the answer to a sampling
   * request or a cancellation must still get through.
   */
  readonly #control: Pool;
  /** Requests being POSTed, with their response stream once it is open (null before), to drop the ones we cancelled. */
  readonly #streams = new Map<JsonRpcId, OpenStream | null>();
  readonly #abandoned = new Set<JsonRpcId>();
  #headers: Record<string, string>;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  /** The latest `retry:` any stream of the session sent: the wait before resuming one. */
  #retryMs: number | undefined;
  #listener: ServerStream | undefined;
  #closed = false;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
    this.#url = new URL(options.url);
    this.#path = `${this.#url.pathname}${this.#url.search}`;
    this.#configured = lowerCaseHeaders(options.headers);
    this.#log = serverLogger(options.logger, options.name);
    this.#pool = new Pool(this.#url.origin, {
      connections: Math.max(1, options.connections),
      pipelining: 1,
      keepAliveTimeout: 30_000,
      // Calls have their own timeouts; a tool may legitimately stream nothing for minutes.
      bodyTimeout: 0,
    });
    this.#control = new Pool(this.#url.origin, {
      connections: 2,
      pipelining: 1,
      keepAliveTimeout: 30_000,
    });
    this.#headers = this.#buildHeaders();
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  setProtocolVersion(version: string): void {
    this.#protocolVersion = version;
    this.#headers = this.#buildHeaders();
  }

  /** Nothing to open: the session starts with the first POST (initialize). */
  async start(): Promise<void> {}

  async send(message: JsonRpcMessage): Promise<void> {
    if (this.#closed) throw new Error(`closed its session with ${safeUrl(this.#url)}`);
    const id = relatedId(message);
    if (id === undefined) return this.#exchange(message);
    this.#streams.set(id, null);
    try {
      await this.#exchange(message);
    } finally {
      this.#streams.delete(id);
      this.#abandoned.delete(id);
    }
  }

  async #exchange(message: JsonRpcMessage): Promise<void> {
    let response: Awaited<ReturnType<Pool["request"]>>;
    try {
      const dispatcher = "method" in message && "id" in message ? this.#pool : this.#control;
      response = await dispatcher.request({
        method: "POST",
        path: this.#path,
        headers: this.#headers,
        body: JSON.stringify(message),
      });
    } catch (error) {
      throw this.#requestFailed(error);
    }
    const { statusCode, headers, body } = response;
    if (this.#sessionId === undefined) this.#adoptSession(headerValue(headers, "mcp-session-id"));
    if (statusCode === 202 || statusCode === 204) {
      body.dump().catch(() => {});
      if ("method" in message && message.method === "notifications/initialized") this.#listen();
      if ("method" in message && message.method === "notifications/cancelled")
        this.#abandon(message.params?.requestId);
      return;
    }
    if (statusCode === 404 && this.#sessionId !== undefined) {
      body.dump().catch(() => {});
      throw this.#undelivered(
        new NotDeliveredError(
          "no longer knows the session (HTTP 404); reconnecting with a new session",
        ),
      );
    }
    if (statusCode >= 300) throw await statusError(statusCode, body, this.#options.name);
    const type = headerValue(headers, "content-type") ?? "";
    if (type.startsWith("text/event-stream")) return this.#readStream(body, message);
    if (type.startsWith("application/json")) return this.#readJson(body, message);
    body.dump().catch(() => {});
    throw new Error(
      `answered with content type ${JSON.stringify(type)} instead of JSON or an event stream`,
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listener?.stop();
    for (const body of this.#streams.values()) body?.destroy();
    if (this.#sessionId !== undefined) await this.#deleteSession();
    await Promise.allSettled([this.#pool.destroy(), this.#control.destroy()]);
    this.onclose?.();
  }

  async #readJson(body: ResponseBody, message: JsonRpcMessage): Promise<void> {
    const related = relatedId(message);
    let value: unknown;
    try {
      value = await body.json();
    } catch (error) {
      throw new Error(`answered with a JSON body that could not be read (${causeOf(error)})`);
    }
    let answered = related === undefined;
    for (const item of Array.isArray(value) ? value : [value]) {
      const checked = validateMessage(item);
      if (!checked.ok) {
        this.onerror?.(
          new Error(
            `server ${this.#options.name} answered with a body that is not JSON-RPC (${checked.reason})`,
          ),
        );
        continue;
      }
      if (!answered && isResponse(checked.message) && checked.message.id === related)
        answered = true;
      this.onmessage?.(checked.message, related);
    }
    if (!answered) throw new Error("answered a request with JSON that holds no response to it");
  }

  async #readStream(body: ResponseBody, message: JsonRpcMessage): Promise<void> {
    const related = relatedId(message);
    let answered = related === undefined;
    const parser = messageParser(
      this.#options.name,
      (m) => {
        if (!answered && isResponse(m) && m.id === related) answered = true;
        this.onmessage?.(m, related);
      },
      (e) => this.onerror?.(e),
    );
    if (related !== undefined) {
      this.#streams.set(related, body);
      // Cancelled before the stream opened: the server may never end it.
      if (this.#abandoned.has(related)) body.destroy();
    }
    let broken: string | undefined;
    try {
      await readEvents(body, parser);
    } catch (error) {
      broken = causeOf(error);
    }
    if (parser.retryMs !== undefined) this.#retryMs = parser.retryMs;
    if (answered || this.#closed || this.#abandoned.has(related as JsonRpcId)) return;
    const lastEventId = parser.lastEventId;
    if (lastEventId === undefined) {
      const ended =
        broken === undefined
          ? "ended the response stream without answering"
          : `lost the response stream (${broken})`;
      throw new Error(`${ended}, and sent no event id to resume it from`);
    }
    return this.#resume(related as JsonRpcId, lastEventId);
  }

  /** The server closed a request's stream early (SEP-1699 polling, or a broken connection): pick it up. */
  async #resume(related: JsonRpcId, lastEventId: string): Promise<void> {
    this.#log.debug({ requestId: related, lastEventId }, "resuming an unanswered response stream");
    const resumption = new StreamResumption({
      server: this.#options.name,
      url: this.#url,
      dispatcher: this.#pool,
      headers: () => this.#getHeaders(),
      requestId: related,
      lastEventId,
      retryMs: this.#retryMs,
      onmessage: (m) => this.onmessage?.(m, related),
      onerror: (e) => this.onerror?.(e),
      onfatal: (e) => this.#fail(e),
    });
    this.#streams.set(related, resumption);
    try {
      await resumption.run();
    } catch (error) {
      if (this.#closed || this.#abandoned.has(related)) return;
      throw error;
    } finally {
      if (resumption.retryMs !== undefined) this.#retryMs = resumption.retryMs;
    }
  }

  /** After we cancelled a request the server may never answer it: drop its stream. */
  #abandon(requestId: unknown): void {
    if (typeof requestId !== "string" && typeof requestId !== "number") return;
    if (!this.#streams.has(requestId)) return;
    this.#abandoned.add(requestId);
    this.#streams.get(requestId)?.destroy();
  }

  #listen(): void {
    this.#listener = new ServerStream({
      server: this.#options.name,
      url: this.#url,
      headers: () => this.#getHeaders(),
      logger: this.#log,
      onmessage: (message) => this.onmessage?.(message),
      onerror: (error) => this.onerror?.(error),
      onfatal: (error) => this.#fail(error),
    });
    this.#listener.start();
  }

  #requestFailed(error: unknown): Error {
    if (this.#closed) return new Error(`closed its session with ${safeUrl(this.#url)}`);
    const failure = new Error(`could not be reached at ${safeUrl(this.#url)} (${causeOf(error)})`, {
      cause: error,
    });
    if (!isConnectError(error)) return failure;
    return this.#undelivered(new NotDeliveredError(failure.message, { cause: error }));
  }

  /**
   * The message never reached the server and the session is over. The send
   * fails first (so its call can be sent again elsewhere), the transport right after.
   */
  #undelivered(error: NotDeliveredError): NotDeliveredError {
    setImmediate(() => this.#fail(error));
    return error;
  }

  /** Ends the transport on its own: the connection above fails its calls and reconnects. */
  #fail(error: Error): Error {
    if (this.#closed) return error;
    this.#closed = true;
    this.#listener?.stop();
    for (const body of this.#streams.values()) body?.destroy();
    this.#pool.destroy().catch(() => {});
    this.#control.destroy().catch(() => {});
    this.onclose?.(error);
    return error;
  }

  async #deleteSession(): Promise<void> {
    try {
      const { body } = await this.#control.request({
        method: "DELETE",
        path: this.#path,
        headers: this.#getHeaders(),
        signal: AbortSignal.timeout(2000),
      });
      await body.dump();
    } catch (error) {
      this.#log.debug({ err: causeOf(error) }, "could not delete the upstream session");
    }
  }

  #adoptSession(id: string | undefined): void {
    if (id === undefined || id === "") return;
    this.#sessionId = id;
    this.#headers = this.#buildHeaders();
  }

  #buildHeaders(): Record<string, string> {
    return { ...this.#getHeaders(), accept: ACCEPT, "content-type": "application/json" };
  }

  #getHeaders(): Record<string, string> {
    const headers: Record<string, string> = { ...this.#configured };
    if (this.#sessionId !== undefined) headers["mcp-session-id"] = this.#sessionId;
    if (this.#protocolVersion !== undefined)
      headers["mcp-protocol-version"] = this.#protocolVersion;
    return headers;
  }
}

function relatedId(message: JsonRpcMessage): JsonRpcId | undefined {
  return "method" in message && "id" in message ? (message.id ?? undefined) : undefined;
}

async function statusError(status: number, body: ResponseBody, server: string): Promise<Error> {
  const snippet = await readSnippet(body);
  const detail = snippet === "" ? "" : `: ${snippet}`;
  const hint =
    status === 401 || status === 403
      ? `; check the credentials in the headers configured for server ${server}`
      : "";
  return new Error(`answered HTTP ${status}${detail}${hint}`);
}
