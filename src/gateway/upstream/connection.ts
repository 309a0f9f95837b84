import { SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type {
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  Params,
} from "../jsonrpc/messages.ts";
import { cancelled, lostCall, overloaded, timedOut } from "./call-errors.ts";
import { initializeParams, readInitializeResult, withinConnectTimeout } from "./handshake.ts";
import { InteractiveCalls } from "./interactive-calls.ts";
import { type CallOwner, CallQueue, PendingCall, QUEUED, SENT, SETTLED } from "./pending-call.ts";
import {
  ambiguousRequest,
  attributeServerRequest,
  callById,
  routeNotification,
} from "./routing.ts";
import { serverLogger } from "./server-logger.ts";
import { ServerRequests } from "./server-requests.ts";
import type { CallContext, CallOutcome, UpstreamInfo, UpstreamTransport } from "./types.ts";
import { NotDeliveredError } from "./undelivered.ts";

export interface ConnectionOptions {
  /** The server's configured name, used in every message. */
  name: string;
  transport: UpstreamTransport;
  logger: Logger;
  timeoutMs: number;
  /** Calls sent at once; further calls wait in a FIFO queue. */
  maxConcurrency: number;
  /** Budget for starting the transport and the initialize handshake. */
  connectTimeoutMs: number;
  /** Calls allowed to wait in the queue before new ones fail with UPSTREAM_OVERLOADED. */
  maxQueue?: number;
  /** Calls learned to ask the client questions; shared by an upstream's replicas. */
  interactive?: InteractiveCalls;
}

/**
 * One initialized MCP client connection over a transport, shared by many
 * callers. Each call gets a fresh id (and, when it asked for progress, a fresh
 * progress token); whatever the upstream sends in the scope of a call goes to
 * that call's context and no other.
 *
 * Routing of server requests: by the transport's `relatedRequestId` when it
 * has one (streamable HTTP). stdio and legacy SSE carry no such link, so a
 * request goes to the only call in flight; with several in flight it is
 * refused rather than guessed (an answer must never reach another client),
 * and the calls involved are learned as interactive: from then on each runs
 * alone on the connection, so its questions are attributed exactly.
 */
export class Connection implements CallOwner {
  readonly name: string;
  info: UpstreamInfo | undefined;
  /** The connection ended on its own (after start() resolved). */
  onclose?: (error: SophiaError) => void;
  /** Notifications not tied to a call. */
  onnotification?: (notification: JsonRpcNotification) => void;
  /**
   * Takes over a call that never reached the server (queued when the
   * connection died, or refused undelivered), to send it again elsewhere.
   * The taker settles it. Without a taker such calls fail.
   */
  onundelivered?: (call: PendingCall) => void;
  readonly #transport: UpstreamTransport;
  readonly #log: Logger;
  readonly #options: ConnectionOptions;
  readonly #maxQueue: number;
  readonly #pending = new Map<number, PendingCall>();
  readonly #queue = new CallQueue();
  readonly #serverRequests: ServerRequests;
  readonly #interactive: InteractiveCalls;
  /** An interactive call running alone: nothing else is sent until it settles. */
  #exclusive: PendingCall | undefined;
  #nextId = 0;
  #started = false;
  #ended: string | undefined;
  /** Ended by close(), not by the server going away. */
  #stopped = false;
  #idle: PromiseWithResolvers<void> | undefined;

  constructor(options: ConnectionOptions) {
    this.name = options.name;
    this.#options = options;
    this.#transport = options.transport;
    this.#log = serverLogger(options.logger, options.name);
    this.#maxQueue = options.maxQueue ?? 10_000;
    this.#interactive = options.interactive ?? new InteractiveCalls();
    this.#serverRequests = new ServerRequests(options.name, (message) => this.#post(message));
    this.#transport.onmessage = (message, related) => this.#onMessage(message, related);
    this.#transport.onclose = (error) => this.#onTransportClose(error);
    this.#transport.onerror = (error) =>
      this.#log.warn({ err: error }, "upstream sent something unusable");
  }

  /** Calls sent and not yet answered, plus calls queued. */
  get inFlight(): number {
    return this.#pending.size + this.#queue.length;
  }

  get closed(): boolean {
    return this.#ended !== undefined;
  }

  /** Starts the transport and performs the initialize handshake within `connectTimeoutMs`. */
  async start(): Promise<UpstreamInfo> {
    const limit = this.#options.connectTimeoutMs;
    try {
      const info = await withinConnectTimeout(this.name, limit, this.#handshake(limit));
      this.#started = true;
      return info;
    } catch (error) {
      this.#end("failed to initialize");
      await this.#transport.close().catch(() => {});
      throw error;
    }
  }

  /** Sends a request; `redelivered` marks a call taken over from a connection that lost it. */
  request(
    method: string,
    params: Params | undefined,
    context?: CallContext,
    redelivered = false,
  ): Promise<CallOutcome> {
    if (this.#ended !== undefined) {
      return Promise.reject(
        new SophiaError("UPSTREAM_UNAVAILABLE", `server ${this.name} ${this.#ended}`),
      );
    }
    const signal = context?.signal;
    const timeoutMs = context?.timeoutMs ?? this.#options.timeoutMs;
    const call = new PendingCall(
      this,
      ++this.#nextId,
      method,
      params,
      context,
      timeoutMs,
      redelivered,
    );
    const full = this.#queue.length > 0 || this.#mustWait(call);
    if (full && this.#queue.length >= this.#maxQueue) {
      return Promise.reject(overloaded(this.name, method, this.#queue.length));
    }
    const promise = new Promise<CallOutcome>((resolve, reject) => {
      call.resolve = resolve;
      call.reject = reject;
    });
    if (signal?.aborted) {
      call.state = SETTLED;
      call.reject(cancelled(this.name, call, signal));
      return promise;
    }
    if (timeoutMs > 0 && timeoutMs < 2 ** 31)
      call.timer = setTimeout(onTimeout, timeoutMs, this, call);
    signal?.addEventListener("abort", call);
    if (full) this.#queue.push(call);
    else this.#send(call);
    return promise;
  }

  /** Sends a notification; failures are logged, never thrown. */
  notify(method: string, params?: Params): void {
    if (this.#ended !== undefined) return;
    this.#post(
      params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params },
    );
  }

  /** Resolves when no call is in flight or queued. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    this.#idle ??= Promise.withResolvers<void>();
    return this.#idle.promise;
  }

  /** Closes on our initiative: calls still pending fail with `reason`. */
  async close(reason = "was stopped"): Promise<void> {
    this.#stopped = true;
    this.#end(reason);
    await this.#transport.close();
  }

  abortCall(call: PendingCall): void {
    if (call.state === SETTLED) return;
    const sent = this.#settle(call);
    if (sent) this.#cancelUpstream(call, "cancelled by the client");
    call.reject(cancelled(this.name, call, call.context?.signal as AbortSignal));
  }

  timeoutCall(call: PendingCall): void {
    if (call.state === SETTLED) return;
    const sent = this.#settle(call);
    if (sent) this.#cancelUpstream(call, `timed out after ${call.timeoutMs} ms`);
    call.reject(timedOut(this.name, call, sent));
  }

  async #handshake(limit: number): Promise<UpstreamInfo> {
    try {
      await this.#transport.start();
    } catch (error) {
      throw new SophiaError(
        "UPSTREAM_UNAVAILABLE",
        `server ${this.name} ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const outcome = await this.request("initialize", initializeParams(), { timeoutMs: limit });
    if ("error" in outcome) {
      throw new SophiaError(
        "UPSTREAM_PROTOCOL",
        `server ${this.name} refused initialize: ${outcome.error.message}`,
      );
    }
    const info = readInitializeResult(this.name, outcome.result);
    this.#transport.setProtocolVersion?.(info.protocolVersion);
    await this.#transport.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    this.info = info;
    return info;
  }

  /** Whether `call` must wait for a slot: the concurrency cap, or an interactive call's exclusivity. */
  #mustWait(call: PendingCall): boolean {
    const busy = this.#pending.size;
    return (
      busy >= this.#options.maxConcurrency ||
      this.#exclusive !== undefined ||
      (busy > 0 && this.#interactive.has(call))
    );
  }

  #send(call: PendingCall): void {
    call.state = SENT;
    if (this.#interactive.has(call)) this.#exclusive = call;
    this.#pending.set(call.id, call);
    const message: JsonRpcRequest = {
      jsonrpc: "2.0",
      id: call.id,
      method: call.method,
      params: call.params,
    };
    this.#transport
      .send(message)
      .then(undefined, (error: unknown) => this.#sendFailed(call, error));
  }

  #sendFailed(call: PendingCall, error: unknown): void {
    if (call.state === SETTLED) return;
    const sent = this.#settle(call);
    if (error instanceof NotDeliveredError && this.#handOver(call)) return;
    const reason = this.#ended ?? (error as Error).message ?? String(error);
    call.reject(lostCall(this.name, reason, call, sent));
  }

  /** Takes `call` out of every table; says whether it had been sent. */
  #settle(call: PendingCall): boolean {
    const sent = call.state === SENT;
    if (sent) this.#pending.delete(call.id);
    if (this.#exclusive === call) this.#exclusive = undefined;
    else if (call.state === QUEUED) this.#queue.forget();
    this.#release(call);
    this.#pump();
    if (this.#idle !== undefined && this.inFlight === 0) {
      this.#idle.resolve();
      this.#idle = undefined;
    }
    return sent;
  }

  #release(call: PendingCall): void {
    call.state = SETTLED;
    if (call.timer !== undefined) clearTimeout(call.timer);
    call.context?.signal?.removeEventListener("abort", call);
    if (this.#serverRequests.size > 0) this.#serverRequests.abortFor(call);
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const next = this.#queue.peek();
      if (next === undefined || this.#mustWait(next)) return;
      this.#queue.shift();
      this.#send(next);
    }
  }

  #onMessage(message: JsonRpcMessage, related: string | number | undefined): void {
    if (!("method" in message)) {
      this.#onResponse(message as JsonRpcResponse);
      return;
    }
    const id = (message as JsonRpcRequest).id;
    if (id !== undefined && id !== null) this.#onServerRequest(message as JsonRpcRequest, related);
    else this.#onNotification(message, related);
  }

  #onResponse(message: JsonRpcResponse): void {
    const call = callById(this.#pending, message.id);
    if (call === undefined) {
      if ("error" in message)
        this.#log.warn({ error: message.error }, "upstream error not tied to a call");
      return;
    }
    this.#settle(call);
    call.resolve("result" in message ? { result: message.result } : { error: message.error });
  }

  #onServerRequest(request: JsonRpcRequest, related: string | number | undefined): void {
    const target = attributeServerRequest(this.#pending, related, request, this.#interactive);
    if ("call" in target) {
      this.#serverRequests.handle(request, target.call);
      return;
    }
    this.#log.warn(
      { method: request.method, calls: target.learned },
      "cannot tell which call this server request belongs to (no relation on this transport); refused it, and these calls now run alone",
    );
    this.#post({
      jsonrpc: "2.0",
      id: request.id,
      error: ambiguousRequest(this.name, request.method),
    });
  }

  #onNotification(notification: JsonRpcNotification, related: string | number | undefined): void {
    if (notification.method === "notifications/cancelled") {
      this.#serverRequests.cancel(notification.params?.requestId, notification.params?.reason);
    } else {
      routeNotification(this.#pending, notification, related, this.onnotification);
    }
  }

  #cancelUpstream(call: PendingCall, reason: string): void {
    // The spec forbids cancelling initialize; the connection is discarded instead.
    if (call.method === "initialize") return;
    this.#post({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: call.id, reason },
    });
  }

  #post(message: JsonRpcMessage): void {
    this.#transport.send(message).then(undefined, (error: unknown) => {
      if (this.#ended === undefined) this.#log.warn({ err: error }, "could not send to upstream");
    });
  }

  #onTransportClose(error: Error | undefined): void {
    const reason = error?.message ?? "closed the connection";
    if (!this.#end(reason) || !this.#started) return;
    this.onclose?.(
      new SophiaError("UPSTREAM_UNAVAILABLE", `server ${this.name} ${reason}`, { cause: error }),
    );
  }

  /** Gives a call that never reached the server to whoever can send it again. */
  #handOver(call: PendingCall): boolean {
    if (call.redelivered || this.#stopped || !this.#started || this.onundelivered === undefined)
      return false;
    this.onundelivered(call);
    return true;
  }

  /** Ends the connection once: waiting calls fail with `reason` (or are handed over if never sent). */
  #end(reason: string): boolean {
    if (this.#ended !== undefined) return false;
    this.#ended = reason;
    for (const call of this.#queue.drain()) {
      this.#release(call);
      if (!this.#handOver(call))
        call.reject(lostCall(this.name, reason, call, false, this.#stopped));
    }
    for (const call of this.#pending.values()) {
      this.#release(call);
      call.reject(lostCall(this.name, reason, call, true, this.#stopped));
    }
    this.#pending.clear();
    this.#serverRequests.abortAll(`server ${this.name} ${reason}`);
    this.#idle?.resolve();
    this.#idle = undefined;
    return true;
  }
}

function onTimeout(connection: Connection, call: PendingCall): void {
  connection.timeoutCall(call);
}
