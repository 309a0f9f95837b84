import { randomUUID } from "node:crypto";
import { INTERNAL_ERROR, METHOD_NOT_FOUND, REQUEST_CANCELLED } from "../jsonrpc/codes.ts";
import type { JsonRpcResponse, Params } from "../jsonrpc/messages.ts";
import type { CallOutcome } from "../upstream/types.ts";
import type { MessageSink } from "./message-sink.ts";
import type { Session } from "./session.ts";

/** The client capability each server-to-client request needs. */
const NEEDS: Record<string, string> = {
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
  "roots/list": "roots",
};

interface Pending {
  resolve(outcome: CallOutcome): void;
  session: Session;
}

/**
 * Relays requests from upstreams (sampling, elicitation, roots) to the client
 * that made the call, under ids of our own so answers from different clients
 * can never cross, and resolves them when the client POSTs its answer.
 */
export class ClientRequests {
  readonly #pending = new Map<string, Pending>();
  readonly #prefix = `sophia-${randomUUID().slice(0, 8)}-`;
  #next = 0;

  send(
    session: Session,
    sink: MessageSink,
    method: string,
    params: Params | undefined,
    signal: AbortSignal,
  ): Promise<CallOutcome> {
    const capability = NEEDS[method];
    if (capability !== undefined && session.client.capabilities[capability] === undefined) {
      return Promise.resolve({
        error: {
          code: METHOD_NOT_FOUND,
          message: `client does not support ${capability} (${method})`,
        },
      });
    }
    const target = sink.open ? sink : session.standalone;
    if (!target.open) {
      return Promise.resolve({
        error: { code: INTERNAL_ERROR, message: `no open stream to relay ${method} to the client` },
      });
    }
    const id = `${this.#prefix}${this.#next++}`;
    return new Promise<CallOutcome>((resolve) => {
      const done = (outcome: CallOutcome) => {
        this.#pending.delete(id);
        signal.removeEventListener("abort", onAbort);
        resolve(outcome);
      };
      const onAbort = () => {
        target.send({
          jsonrpc: "2.0",
          method: "notifications/cancelled",
          params: { requestId: id, reason: "upstream cancelled" },
        });
        done({ error: { code: REQUEST_CANCELLED, message: "request cancelled" } });
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(id, { resolve: done, session });
      target.send({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
    });
  }

  /** Takes a client's answer; false when it answers nothing we asked (or another session's request). */
  answer(session: Session, response: JsonRpcResponse): boolean {
    const pending = typeof response.id === "string" ? this.#pending.get(response.id) : undefined;
    if (!pending || pending.session !== session) return false;
    pending.resolve("result" in response ? { result: response.result } : { error: response.error });
    return true;
  }

  /** Fails every request still waiting on a session that has gone. */
  dropSession(session: Session): void {
    for (const pending of [...this.#pending.values()]) {
      if (pending.session === session)
        pending.resolve({ error: { code: INTERNAL_ERROR, message: "client session closed" } });
    }
  }
}
