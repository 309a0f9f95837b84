import type { Logger } from "../../shared/logger.ts";
import type { Catalog } from "../catalog/catalog.ts";
import type { RequestContext } from "../http/request-context.ts";
import { INVALID_PARAMS } from "../jsonrpc/codes.ts";
import type {
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  Params,
} from "../jsonrpc/messages.ts";
import { ClientRequests } from "../session/client-requests.ts";
import type { MessageSink } from "../session/message-sink.ts";
import { type Scope, Session } from "../session/session.ts";
import { SubscriptionCounts } from "../session/subscriptions.ts";
import type { CallOutcome, Upstream } from "../upstream/types.ts";
import { whenReady } from "../upstream/when-ready.ts";
import { handleAggregate } from "./aggregate.ts";
import { callContext } from "./call-context.ts";
import { type CallObserver, Forwarder } from "./forwarder.ts";
import { serverDescription } from "./initialize.ts";
import { errorToWire, failure, toResponse } from "./outcomes.ts";
import { handlePassthrough } from "./passthrough.ts";
import { negotiateVersion } from "./protocol.ts";

export interface DispatcherOptions {
  upstreams: ReadonlyMap<string, Upstream>;
  catalog: Catalog;
  logger: Logger;
  observer?: CallObserver;
}

/**
 * The MCP protocol, independent of transport: both the streamable HTTP
 * endpoint and the stdio server hand it decoded messages and a sink for
 * whatever must go back to the client while a request runs.
 */
export class Dispatcher {
  readonly clientRequests = new ClientRequests();
  readonly forwarder: Forwarder;
  readonly #upstreams: ReadonlyMap<string, Upstream>;
  readonly #catalog: Catalog;

  constructor(options: DispatcherOptions) {
    this.#upstreams = options.upstreams;
    this.#catalog = options.catalog;
    this.forwarder = new Forwarder({
      subscriptions: new SubscriptionCounts(),
      logger: options.logger,
      ...(options.observer ? { observer: options.observer } : {}),
    });
  }

  /** Handles `initialize`: the session it returns is the caller's to store. */
  async initialize(
    id: string,
    scope: Scope,
    params: Params | undefined,
  ): Promise<{ session: Session; result: Record<string, unknown> }> {
    if (scope.kind === "server")
      await whenReady(scope.upstream, scope.upstream.config.connectTimeoutMs);
    const protocolVersion = negotiateVersion(params?.protocolVersion);
    const result = { protocolVersion, ...serverDescription(scope, this.#upstreams.values()) };
    const session = new Session(id, scope, {
      protocolVersion,
      capabilities: (params?.capabilities as Record<string, unknown> | undefined) ?? {},
      clientInfo: params?.clientInfo as Record<string, unknown> | undefined,
    });
    return { session, result };
  }

  /** Runs one client request to completion; never throws. `origin`: the HTTP request it came in on. */
  async request(
    session: Session,
    request: JsonRpcRequest,
    sink: MessageSink,
    origin?: RequestContext,
  ): Promise<JsonRpcResponse> {
    session.touch();
    if (request.method === "initialize") {
      return toResponse(request.id, failure(INVALID_PARAMS, "session is already initialized"));
    }
    const controller = new AbortController();
    session.inFlight.set(request.id, controller);
    try {
      const context = callContext(session, sink, controller.signal, this.clientRequests, origin);
      const outcome = await this.#route(session, request.method, request.params, context);
      return toResponse(request.id, outcome);
    } catch (error) {
      return toResponse(request.id, { error: errorToWire(error) });
    } finally {
      session.inFlight.delete(request.id);
    }
  }

  notification(session: Session, notification: JsonRpcNotification): void {
    session.touch();
    const { method, params } = notification;
    if (method === "notifications/cancelled") {
      const requestId = params?.requestId;
      if (typeof requestId === "string" || typeof requestId === "number")
        session.inFlight.get(requestId)?.abort();
      return;
    }
    if (method === "notifications/roots/list_changed") {
      for (const upstream of this.#visible(session)) upstream.notify(method, params);
      return;
    }
    if (session.scope.kind === "server" && method !== "notifications/initialized") {
      session.scope.upstream.notify(method, params);
    }
  }

  /** A client's answer to a request we relayed; false if it answers nothing we asked. */
  response(session: Session, response: JsonRpcResponse): boolean {
    session.touch();
    return this.clientRequests.answer(session, response);
  }

  /** Releases what a session held upstream: subscriptions, in-flight calls, relayed requests. */
  closeSession(session: Session): void {
    if (session.closed) return;
    session.closed = true;
    for (const controller of session.inFlight.values()) controller.abort();
    this.clientRequests.dropSession(session);
    this.forwarder.releaseSubscriptions(session, (uri) =>
      session.scope.kind === "server" ? session.scope.upstream : this.#catalog.resolveResource(uri),
    );
  }

  #route(
    session: Session,
    method: string,
    params: Params | undefined,
    context: ReturnType<typeof callContext>,
  ): Promise<CallOutcome> {
    if (session.scope.kind === "server") {
      return handlePassthrough(
        session.scope.upstream,
        this.forwarder,
        session,
        method,
        params,
        context,
      );
    }
    if (method === "logging/setLevel") return this.#setAggregateLogLevel(session, params);
    return handleAggregate(this.#catalog, this.forwarder, session, method, params, context);
  }

  async #setAggregateLogLevel(session: Session, params: Params | undefined): Promise<CallOutcome> {
    const outcome = await this.forwarder.setLogLevel(session, params, undefined);
    if ("error" in outcome) return outcome;
    for (const upstream of this.#upstreams.values()) {
      if (upstream.state === "ready" && upstream.info?.capabilities.logging !== undefined) {
        void this.forwarder.call(upstream, "logging/setLevel", { level: params?.level });
      }
    }
    return outcome;
  }

  #visible(session: Session): Iterable<Upstream> {
    return session.scope.kind === "server" ? [session.scope.upstream] : this.#upstreams.values();
  }
}
