import { ANONYMOUS, type Principal } from "../auth/principal.ts";
import type { JsonRpcId, JsonRpcMessage } from "../jsonrpc/messages.ts";
import type { LogLevel } from "../mcp/protocol.ts";
import type { Upstream } from "../upstream/types.ts";
import { CLOSED_SINK, type MessageSink } from "./message-sink.ts";
import type { ReplayBuffer } from "./replay-buffer.ts";

/** `/mcp` sees every upstream, namespaced; `/servers/<name>/mcp` sees one, as is. */
export type Scope = { kind: "aggregate" } | { kind: "server"; upstream: Upstream };

export interface ClientInfo {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  clientInfo: Record<string, unknown> | undefined;
}

/**
 * One downstream client: what it negotiated, what it is subscribed to, which of
 * its requests are in flight (so `notifications/cancelled` can stop them) and
 * which requests we relayed to it are awaiting its answer.
 */
export class Session {
  readonly id: string;
  readonly scope: Scope;
  readonly client: ClientInfo;
  #principal: Principal = ANONYMOUS;
  #bound = false;
  logLevel: LogLevel | undefined;
  readonly subscriptions = new Set<string>();
  readonly inFlight = new Map<JsonRpcId, AbortController>();
  lastSeen = Date.now();
  closed = false;
  /** The standalone stream (GET /mcp, or stdout for stdio). */
  standalone: MessageSink = CLOSED_SINK;
  /** Events kept for clients that reconnect with Last-Event-ID (HTTP, 2025-11-25 and later). */
  replay: ReplayBuffer | undefined = undefined;

  constructor(id: string, scope: Scope, client: ClientInfo) {
    this.id = id;
    this.scope = scope;
    this.client = client;
  }

  /** The caller that opened the session; every later request must come from the same caller. */
  get principal(): Principal {
    return this.#principal;
  }

  /** Binds the session to its caller, once (a second bind would allow a session takeover). */
  bind(principal: Principal): void {
    if (this.#bound) throw new Error(`session ${this.id} is already bound to its caller`);
    this.#bound = true;
    this.#principal = principal;
  }

  /** Delivers a message not tied to a request, if the client has a stream open for it. */
  sendUnscoped(message: JsonRpcMessage): boolean {
    if (!this.standalone.open) return false;
    this.standalone.send(message);
    return true;
  }

  /** Whether this session sees messages from the named upstream. */
  sees(server: string): boolean {
    return this.scope.kind === "aggregate" || this.scope.upstream.name === server;
  }

  touch(): void {
    this.lastSeen = Date.now();
  }
}
