import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import { isResponse, type JsonRpcId, type JsonRpcMessage } from "../jsonrpc/messages.ts";
import {
  causeOf,
  headerValue,
  isConnectError,
  MAX_RETRY_MS,
  messageParser,
  type ResponseBody,
  readSnippet,
  retryDelay,
  safeUrl,
} from "./http-common.ts";

/** Reconnections in a row that bring nothing new before the call is given up. */
export const MAX_IDLE_RESUMES = 5;

export interface ResumeOptions {
  server: string;
  url: URL;
  /** Carries the GETs (the transport's pool: the closed POST stream gave its connection back). */
  dispatcher: Dispatcher;
  /** Session headers at the time of each attempt (configured, session id, protocol version). */
  headers: () => Record<string, string>;
  /** The request whose response the stream still owes. */
  requestId: JsonRpcId;
  /** The last event id seen on the closed stream. */
  lastEventId: string;
  /** The latest `retry:` the server sent, if any. */
  retryMs: number | undefined;
  /** Everything the resumed stream carries (it belongs to the same request). */
  onmessage: (message: JsonRpcMessage) => void;
  onerror: (error: Error) => void;
  /** The session is gone or the server unreachable: the transport must end. */
  onfatal: (error: Error) => void;
}

/**
 * Picks up a request's SSE stream that the server closed before answering
 * (MCP 2025-11-25 resumability, SEP-1699): after the `retry:` delay, GET with
 * `Last-Event-ID`, and read what the server replays and sends next, as often as
 * it closes the stream again, until the response arrives. Each reconnection in
 * a row that brings nothing new doubles the wait; after MAX_IDLE_RESUMES of
 * them the call fails. `destroy()` stops it at once (call cancelled, transport
 * closed); `run()` then rejects with the abort, which the owner ignores.
 */
export class StreamResumption {
  readonly #options: ResumeOptions;
  readonly #abort = new AbortController();
  #lastEventId: string;
  #retryMs: number | undefined;
  #body: ResponseBody | undefined;
  #answered = false;
  /** The current attempt delivered a message or a new event id. */
  #fresh = false;
  /** Why the last attempt brought nothing, for the final error. */
  #problem = "";

  constructor(options: ResumeOptions) {
    this.#options = options;
    this.#lastEventId = options.lastEventId;
    this.#retryMs = options.retryMs;
  }

  get retryMs(): number | undefined {
    return this.#retryMs;
  }

  destroy(): void {
    this.#abort.abort();
    this.#body?.destroy();
  }

  /** Resolves once the response has been delivered; rejects with a clear error otherwise. */
  async run(): Promise<void> {
    const signal = this.#abort.signal;
    let idle = 0;
    while (idle < MAX_IDLE_RESUMES) {
      const delay = Math.min(retryDelay(this.#retryMs) * 2 ** idle, MAX_RETRY_MS);
      await sleep(delay, undefined, { signal });
      this.#fresh = false;
      await this.#attempt();
      if (this.#answered) return;
      idle = this.#fresh ? 0 : idle + 1;
    }
    throw new Error(
      `closed the response stream before answering and ${MAX_IDLE_RESUMES} attempts in a row to resume it (GET with Last-Event-ID ${JSON.stringify(this.#lastEventId)}) brought nothing new (last: ${this.#problem})`,
    );
  }

  async #attempt(): Promise<void> {
    const { url, dispatcher } = this.#options;
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request({
        method: "GET",
        path: `${url.pathname}${url.search}`,
        headers: {
          ...this.#options.headers(),
          accept: "text/event-stream",
          "last-event-id": this.#lastEventId,
        },
        signal: this.#abort.signal,
      });
    } catch (error) {
      if (this.#abort.signal.aborted) throw error;
      if (isConnectError(error)) throw this.#fatal(unreachable(url, error));
      this.#problem = causeOf(error);
      return;
    }
    const { statusCode, headers, body } = response;
    const type = headerValue(headers, "content-type") ?? "";
    if (statusCode === 200 && type.startsWith("text/event-stream")) return this.#read(body);
    if (statusCode === 409 || statusCode === 429 || statusCode >= 500) {
      body.dump().catch(() => {});
      this.#problem = `HTTP ${statusCode}`;
      return;
    }
    throw await this.#refused(statusCode, type, body);
  }

  async #read(body: ResponseBody): Promise<void> {
    const { requestId, onmessage } = this.#options;
    const parser = messageParser(
      this.#options.server,
      (message) => {
        this.#fresh = true;
        if (isResponse(message) && message.id === requestId) this.#answered = true;
        onmessage(message);
      },
      this.#options.onerror,
    );
    this.#body = body;
    this.#problem = "the server closed the stream with nothing new";
    try {
      for await (const chunk of body) {
        parser.push(chunk as Buffer);
        // The server may keep a replayed stream open after the response: it has nothing more for us.
        if (this.#answered) break;
      }
    } catch (error) {
      if (this.#abort.signal.aborted) throw error;
      this.#problem = `the stream broke (${causeOf(error)})`;
    } finally {
      this.#body = undefined;
      const id = parser.lastEventId;
      if (id !== undefined && id !== this.#lastEventId) {
        this.#lastEventId = id;
        this.#fresh = true;
      }
      this.#retryMs = parser.retryMs ?? this.#retryMs;
    }
  }

  async #refused(status: number, type: string, body: ResponseBody): Promise<Error> {
    const snippet = await readSnippet(body);
    if (status === 404) {
      return this.#fatal(
        new Error(
          "no longer knows the session (HTTP 404) while resuming a response stream; reconnecting with a new session",
        ),
      );
    }
    if (status === 405) {
      return new Error(
        "closed the response stream before answering and offers no GET to resume it (HTTP 405)",
      );
    }
    const detail = snippet === "" ? "" : `: ${snippet}`;
    return new Error(
      `refused to resume the response stream from event id ${JSON.stringify(this.#lastEventId)} (HTTP ${status}, ${JSON.stringify(type)})${detail}`,
    );
  }

  #fatal(error: Error): Error {
    this.#options.onfatal(error);
    return error;
  }
}

function unreachable(url: URL, error: unknown): Error {
  return new Error(
    `could not be reached at ${safeUrl(url)} to resume a response stream (${causeOf(error)})`,
    { cause: error },
  );
}
