import type { ServerResponse } from "node:http";
import type { JsonRpcMessage, JsonRpcResponse } from "../jsonrpc/messages.ts";
import type { MessageSink } from "../session/message-sink.ts";
import type { ReplayBuffer, ReplayOwner } from "../session/replay-buffer.ts";
import { sseEvent } from "./sse.ts";

/** How long a client waits before reconnecting (the SSE `retry:` field). */
export const RETRY_MS = 1000;

/**
 * A resumable SSE stream (MCP 2025-11-25): a POST's stream or the standalone
 * GET stream of a session that negotiated 2025-11-25 or later. It opens with a
 * priming event (an id, `retry:`, empty data) and gives every event an id.
 * Losing the connection is not cancellation: events keep going to the
 * session's replay buffer until a GET with `Last-Event-ID` takes over.
 * The caller has written the status line and headers of `res`.
 */
export class EventStream implements MessageSink, ReplayOwner {
  readonly #buffer: ReplayBuffer;
  readonly #stream: number;
  readonly #standalone: boolean;
  readonly #keepAliveMs: number;
  #res: ServerResponse | undefined;
  #timer: NodeJS.Timeout | undefined;
  #finished = false;

  constructor(
    buffer: ReplayBuffer,
    res: ServerResponse,
    options: { standalone: boolean; keepAliveMs?: number },
  ) {
    this.#buffer = buffer;
    this.#stream = buffer.open(this);
    this.#standalone = options.standalone;
    this.#keepAliveMs = options.keepAliveMs ?? 25_000;
    this.#attach(res);
    res.write(`id: ${this.#stream}-0\nretry: ${RETRY_MS}\ndata: \n\n`);
  }

  /** Whether messages still belong here (connected, or buffered for a reconnect). */
  get open(): boolean {
    return !this.#finished && this.#buffer.has(this.#stream);
  }

  /** Whether a client connection is reading the stream right now. */
  get live(): boolean {
    return this.#res !== undefined;
  }

  send(message: JsonRpcMessage): void {
    if (!this.open) return;
    // Kept even with nobody connected: that is what a reconnect replays.
    const frame = this.#buffer.push(this.#stream, (id) => sseEvent(message, id));
    this.#res?.write(frame);
  }

  /** The request's response, the last event of a POST's stream. */
  finish(response: JsonRpcResponse): void {
    if (this.#finished) return;
    this.#finished = true;
    const frame = this.#buffer.push(this.#stream, (id) => sseEvent(response, id));
    const res = this.#detach();
    if (!res || res.destroyed) {
      this.#buffer.expireLater(this.#stream);
      return;
    }
    res.end(frame);
    this.#buffer.forget(this.#stream);
  }

  /** Ends the stream for good (DELETE, shutdown). */
  close(): void {
    this.#finished = true;
    this.#detach()?.end();
    this.#buffer.forget(this.#stream);
  }

  /** A reconnect with `Last-Event-ID`: replays what came after it, then goes on live. */
  resume(res: ServerResponse, afterSeq: number): void {
    this.#detach()?.end();
    this.#buffer.keep(this.#stream);
    for (const frame of this.#buffer.after(this.#stream, afterSeq)) res.write(frame);
    if (!this.#finished) {
      this.#attach(res);
      return;
    }
    res.end();
    this.#buffer.forget(this.#stream);
  }

  #attach(res: ServerResponse): void {
    this.#res = res;
    if (this.#standalone) {
      this.#timer = setInterval(() => res.write(": keep-alive\n\n"), this.#keepAliveMs);
      this.#timer.unref();
    }
    res.on("close", () => {
      if (this.#res !== res) return;
      this.#detach();
      // A POST's stream waits for its response; the standalone stream only for the TTL.
      if (this.#standalone || this.#finished) this.#buffer.expireLater(this.#stream);
    });
  }

  #detach(): ServerResponse | undefined {
    const res = this.#res;
    this.#res = undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
    return res;
  }
}
