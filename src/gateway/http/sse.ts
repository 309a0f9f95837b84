import type { ServerResponse } from "node:http";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import type { MessageSink } from "../session/message-sink.ts";

export const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

export function sseEvent(message: JsonRpcMessage, id?: string): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: message\ndata: ${JSON.stringify(message)}\n\n`;
}

/**
 * A standalone SSE stream (GET on the MCP endpoint): server-initiated
 * notifications and requests for one session. A comment every `keepAliveMs`
 * keeps proxies from closing an idle stream.
 */
export class SseStream implements MessageSink {
  readonly #res: ServerResponse;
  readonly #timer: NodeJS.Timeout;
  #closed = false;

  constructor(res: ServerResponse, headers: Record<string, string>, keepAliveMs = 25_000) {
    this.#res = res;
    res.writeHead(200, { ...SSE_HEADERS, ...headers });
    res.flushHeaders();
    this.#timer = setInterval(() => this.#res.write(": keep-alive\n\n"), keepAliveMs);
    this.#timer.unref();
    res.on("close", () => this.close());
  }

  get open(): boolean {
    return !this.#closed;
  }

  send(message: JsonRpcMessage): void {
    if (!this.#closed) this.#res.write(sseEvent(message));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#res.end();
  }
}
