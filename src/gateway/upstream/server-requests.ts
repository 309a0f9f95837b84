import { INTERNAL_ERROR, METHOD_NOT_FOUND } from "../jsonrpc/codes.ts";
import type { JsonRpcId, JsonRpcMessage, JsonRpcRequest } from "../jsonrpc/messages.ts";
import type { PendingCall } from "./pending-call.ts";
import type { CallOutcome } from "./types.ts";

interface Entry {
  controller: AbortController;
  call: PendingCall;
}

/**
 * Requests the upstream sends us (sampling, elicitation, roots, ping). Each is
 * relayed to the client call it belongs to; what no call can take is answered
 * here, so the upstream never waits on a request nobody will answer.
 */
export class ServerRequests {
  readonly #server: string;
  readonly #send: (message: JsonRpcMessage) => void;
  readonly #entries = new Map<JsonRpcId, Entry>();

  constructor(server: string, send: (message: JsonRpcMessage) => void) {
    this.#server = server;
    this.#send = send;
  }

  get size(): number {
    return this.#entries.size;
  }

  handle(request: JsonRpcRequest, call: PendingCall | undefined): void {
    const handler = call?.context?.onServerRequest;
    if (request.method === "ping" || call === undefined || handler === undefined) {
      this.#reply(request.id, answerLocally(this.#server, request.method));
      return;
    }
    const entry: Entry = { controller: new AbortController(), call };
    this.#entries.set(request.id, entry);
    let answer: Promise<CallOutcome>;
    try {
      answer = handler.call(call.context, request.method, request.params, entry.controller.signal);
    } catch (error) {
      answer = Promise.reject(error);
    }
    answer.then(
      (outcome) => this.#settle(request.id, entry, outcome),
      (error: unknown) =>
        this.#settle(request.id, entry, {
          error: {
            code: INTERNAL_ERROR,
            message: `the client could not answer ${request.method}: ${String(error)}`,
          },
        }),
    );
  }

  /** The upstream cancelled one of its requests: the client's handler sees its signal abort. */
  cancel(requestId: unknown, reason: unknown): void {
    if (typeof requestId !== "string" && typeof requestId !== "number") return;
    const entry = this.#entries.get(requestId);
    if (entry === undefined) return;
    this.#entries.delete(requestId);
    entry.controller.abort(reason ?? "cancelled by the server");
  }

  /** The call ended: whatever it was still being asked is moot. */
  abortFor(call: PendingCall): void {
    for (const [id, entry] of this.#entries) {
      if (entry.call !== call) continue;
      this.#entries.delete(id);
      entry.controller.abort("the call this request belonged to has ended");
    }
  }

  abortAll(reason: string): void {
    for (const entry of this.#entries.values()) entry.controller.abort(reason);
    this.#entries.clear();
  }

  #settle(id: JsonRpcId, entry: Entry, outcome: CallOutcome): void {
    // Cancelled or orphaned meanwhile: the upstream no longer expects an answer.
    if (this.#entries.get(id) !== entry) return;
    this.#entries.delete(id);
    this.#reply(id, outcome);
  }

  #reply(id: JsonRpcId, outcome: CallOutcome): void {
    this.#send(
      "result" in outcome
        ? { jsonrpc: "2.0", id, result: outcome.result }
        : { jsonrpc: "2.0", id, error: outcome.error },
    );
  }
}

/** What the gateway answers itself when no client call can take a server request. */
export function answerLocally(server: string, method: string): CallOutcome {
  if (method === "ping") return { result: {} };
  if (method === "roots/list") return { result: { roots: [] } };
  return {
    error: {
      code: METHOD_NOT_FOUND,
      message: `Method not found: ${method} (no client call in progress on the gateway can answer it for server ${server})`,
    },
  };
}
