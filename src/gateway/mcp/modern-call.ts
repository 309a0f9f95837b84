import { METHOD_NOT_FOUND } from "../jsonrpc/codes.ts";
import {
  isRequest,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcResponse,
  type Params,
} from "../jsonrpc/messages.ts";
import type { MessageSink } from "../session/message-sink.ts";
import type { Session } from "../session/session.ts";

/** One HTTP exchange of a modern request: the first POST, or a retry carrying input responses. */
export interface Round {
  id: JsonRpcId;
  /** The progress token this exchange's request carried; progress goes out under it. */
  progressToken: string | number | undefined;
  reply: MessageSink & { end(response: JsonRpcResponse): void };
}

export interface ModernCallHooks {
  /** Resolves a relayed request with the client's answer (or an error). */
  answer(response: JsonRpcResponse): void;
  /** Keeps the call while the client gathers input; returns the `requestState` to hand out. */
  park(call: ModernCall): string;
  /** The wire shape of a response for this method, under the exchange's id. */
  encode(response: JsonRpcResponse, id: JsonRpcId): JsonRpcResponse;
  /** The call is over (answered, cancelled or abandoned): release what it holds. */
  done(): void;
}

type Asked = { method: string; params?: Params };

/**
 * A 2026-07-28 request served over a 2025-era upstream. The revision has no
 * server-to-client requests: when the upstream asks for sampling, elicitation
 * or roots mid-call, the gateway ends the exchange with an `input_required`
 * result and keeps the upstream call waiting; the client answers by retrying
 * the request with `inputResponses` and the `requestState`, and the call goes
 * on under the new exchange. It is the dispatcher's sink for the whole call.
 */
export class ModernCall implements MessageSink {
  readonly session: Session;
  readonly method: string;
  readonly #canAsk: boolean;
  readonly #hooks: ModernCallHooks;
  #round: Round | undefined;
  readonly #waiting = new Map<string, Asked>();
  readonly #asked = new Map<string, Asked>();
  #final: JsonRpcResponse | undefined;
  #flushQueued = false;
  #closed = false;

  constructor(session: Session, method: string, canAsk: boolean, hooks: ModernCallHooks) {
    this.session = session;
    this.method = method;
    this.#canAsk = canAsk;
    this.#hooks = hooks;
  }

  get open(): boolean {
    return !this.#closed;
  }

  /** Serves the call on an exchange, first feeding the upstream the answers the client brought. */
  attach(round: Round, inputResponses?: Record<string, unknown>): void {
    this.#round = round;
    if (this.#final) {
      this.#end(this.#final);
      return;
    }
    for (const [key, asked] of this.#asked) {
      const result = inputResponses?.[key];
      this.#asked.delete(key);
      if (typeof result === "object" && result !== null)
        this.#hooks.answer({ jsonrpc: "2.0", id: key, result: result as Record<string, unknown> });
      else this.#waiting.set(key, asked);
    }
    if (this.#waiting.size > 0) this.#queueFlush();
  }

  /** The dispatcher's answer: delivered now, or when the client comes back for it. */
  finish(response: JsonRpcResponse): void {
    if (this.#closed) return;
    if (this.#round) this.#end(response);
    else this.#final = response;
  }

  /** The client went away (cancelled) or never came back: stop the upstream call. */
  abandon(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#round = undefined;
    this.#hooks.done();
  }

  /** True while `round` is the exchange still waiting for this call's answer. */
  serving(round: Round): boolean {
    return this.#round === round;
  }

  send(message: JsonRpcMessage): void {
    if (this.#closed) return;
    if (isRequest(message)) {
      this.#ask(String(message.id), {
        method: message.method,
        ...(message.params ? { params: message.params } : {}),
      });
      return;
    }
    if (!("method" in message)) return;
    const params = message.params;
    if (message.method === "notifications/cancelled") {
      this.#waiting.delete(String(params?.requestId));
      this.#asked.delete(String(params?.requestId));
      return;
    }
    // Without a log level in its envelope a client asked for no log lines.
    if (message.method === "notifications/message" && this.session.logLevel === undefined) return;
    const round = this.#round;
    if (!round) return;
    if (message.method === "notifications/progress") {
      if (round.progressToken === undefined) return;
      round.reply.send({ ...message, params: { ...params, progressToken: round.progressToken } });
      return;
    }
    round.reply.send(message);
  }

  #ask(id: string, request: Asked): void {
    if (!this.#canAsk) {
      this.#hooks.answer({
        jsonrpc: "2.0",
        id,
        error: {
          code: METHOD_NOT_FOUND,
          message: `${request.method} cannot reach a 2026-07-28 client during ${this.method}`,
        },
      });
      return;
    }
    this.#waiting.set(id, request);
    this.#queueFlush();
  }

  /** Requests an upstream sends together go out in one `input_required`, hence the tick of delay. */
  #queueFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    setImmediate(() => {
      this.#flushQueued = false;
      this.#flush();
    });
  }

  #flush(): void {
    const round = this.#round;
    if (this.#closed || !round || this.#waiting.size === 0) return;
    const inputRequests = Object.fromEntries(this.#waiting);
    for (const [key, asked] of this.#waiting) this.#asked.set(key, asked);
    this.#waiting.clear();
    this.#round = undefined;
    const requestState = this.#hooks.park(this);
    round.reply.end(
      this.#hooks.encode(
        {
          jsonrpc: "2.0",
          id: round.id,
          result: { resultType: "input_required", inputRequests, requestState },
        },
        round.id,
      ),
    );
  }

  #end(response: JsonRpcResponse): void {
    const round = this.#round!;
    this.#closed = true;
    this.#round = undefined;
    round.reply.end(this.#hooks.encode(response, round.id));
    this.#hooks.done();
  }
}
