import type { ServerResponse } from "node:http";
import type { JsonRpcMessage, JsonRpcResponse } from "../jsonrpc/messages.ts";
import type { MessageSink } from "../session/message-sink.ts";
import type { ReplayBuffer } from "../session/replay-buffer.ts";
import { EventStream } from "./event-stream.ts";
import { SSE_HEADERS, sseEvent } from "./sse.ts";

/**
 * The answer to one POSTed request. It stays a plain JSON response (the fast
 * path) unless something must reach the client before the result — progress,
 * a log line, a relayed sampling request — in which case it turns into an SSE
 * stream at that moment and carries those messages, then the result. With a
 * replay buffer (sessions on 2025-11-25 or later) that stream is resumable.
 */
export class PostReply implements MessageSink {
  readonly #res: ServerResponse;
  readonly #headers: Record<string, string>;
  readonly #canStream: boolean;
  readonly #replay: ReplayBuffer | undefined;
  #resumable: EventStream | undefined;
  #streaming = false;
  #ended = false;

  constructor(
    res: ServerResponse,
    headers: Record<string, string>,
    canStream: boolean,
    replay?: ReplayBuffer,
  ) {
    this.#res = res;
    this.#headers = headers;
    this.#canStream = canStream;
    this.#replay = replay;
  }

  get open(): boolean {
    if (this.#resumable) return this.#resumable.open;
    return this.#canStream && !this.#ended && !this.#res.destroyed;
  }

  send(message: JsonRpcMessage): void {
    if (!this.open) return;
    if (!this.#streaming) {
      this.#streaming = true;
      this.#res.writeHead(200, { ...SSE_HEADERS, ...this.#headers });
      if (this.#replay)
        this.#resumable = new EventStream(this.#replay, this.#res, { standalone: false });
    }
    if (this.#resumable) this.#resumable.send(message);
    else this.#res.write(sseEvent(message));
  }

  end(response: JsonRpcResponse): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#resumable) {
      this.#resumable.finish(response);
      return;
    }
    if (this.#res.destroyed) return;
    if (this.#streaming) {
      this.#res.end(sseEvent(response));
      return;
    }
    const text = JSON.stringify(response);
    this.#res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      ...this.#headers,
    });
    this.#res.end(text);
  }
}
