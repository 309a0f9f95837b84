import type { IncomingMessage, ServerResponse } from "node:http";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import { ANONYMOUS, type Principal, sameCaller } from "../auth/principal.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { INVALID_PARAMS, METHOD_NOT_FOUND } from "../jsonrpc/codes.ts";
import type { JsonRpcMessage, JsonRpcRequest } from "../jsonrpc/messages.ts";
import type { Dispatcher } from "../mcp/dispatcher.ts";
import { GATEWAY_NAME, GATEWAY_VERSION, serverDescription } from "../mcp/initialize.ts";
import { ListenHub } from "../mcp/listen-hub.ts";
import { type Envelope, metaOf, stripEnvelope } from "../mcp/modern.ts";
import { ModernCall, type Round } from "../mcp/modern-call.ts";
import {
  discoverResult,
  encodeError,
  encodeResponse,
  encodeResult,
  INPUT_METHODS,
} from "../mcp/modern-results.ts";
import { errorToWire } from "../mcp/outcomes.ts";
import { ParkedCalls } from "../mcp/parked-calls.ts";
import { type Scope, Session } from "../session/session.ts";
import type { Upstream } from "../upstream/types.ts";
import { whenReady } from "../upstream/when-ready.ts";
import { serveListen } from "./listen-endpoint.ts";
import { claimsModern, classify } from "./modern-classify.ts";
import { PostReply } from "./post-reply.ts";
import { type RequestContext, requestContextOf } from "./request-context.ts";
import { sendJson } from "./respond.ts";

export interface ModernEndpointOptions {
  dispatcher: Dispatcher;
  catalog: Catalog;
  upstreams: ReadonlyMap<string, Upstream>;
  logger: Logger;
  /** How long a call waits for its client to come back with input responses. */
  inputWaitMs?: number;
  /** Starts every `requestState` (names this instance when several share the load). */
  statePrefix?: string;
}

/** 2025-era methods the revision removed, with what replaces them. */
const REMOVED: Record<string, string> = {
  initialize: "2026-07-28 has no handshake: use server/discover",
  "logging/setLevel": `put the level in _meta["io.modelcontextprotocol/logLevel"] of each request`,
  "resources/subscribe": "open subscriptions/listen with notifications.resourceSubscriptions",
  "resources/unsubscribe": "close the subscriptions/listen stream",
};

const GATEWAY_INFO = { name: GATEWAY_NAME, title: "Sophia MCP gateway", version: GATEWAY_VERSION };

/**
 * MCP 2026-07-28 on the gateway's MCP endpoints: every session-less POST that
 * claims the revision is served on its own, with an ephemeral session built
 * from the request's `_meta` and the same dispatcher as legacy sessions
 * (aggregation, routing, relays). Legacy traffic never reaches this class.
 */
export class ModernEndpoint {
  readonly #dispatcher: Dispatcher;
  readonly #catalog: Catalog;
  readonly #upstreams: ReadonlyMap<string, Upstream>;
  readonly #logger: Logger;
  readonly #parked: ParkedCalls;
  readonly #hub: ListenHub;
  #next = 0;

  constructor(options: ModernEndpointOptions) {
    this.#dispatcher = options.dispatcher;
    this.#catalog = options.catalog;
    this.#upstreams = options.upstreams;
    this.#logger = options.logger;
    this.#parked = new ParkedCalls(options.inputWaitMs ?? 300_000, options.statePrefix);
    this.#hub = new ListenHub(options.catalog, options.upstreams.values());
  }

  /** Serves a session-less POST if it speaks the revision; false leaves it to the legacy path. */
  async serve(
    req: IncomingMessage,
    res: ServerResponse,
    scope: Scope,
    message: JsonRpcMessage,
    principal: Principal = ANONYMOUS,
  ): Promise<boolean> {
    if (!claimsModern(header(req, "mcp-protocol-version"), message)) return false;
    const c = classify(
      {
        protocolVersion: header(req, "mcp-protocol-version"),
        method: header(req, "mcp-method"),
        name: header(req, "mcp-name"),
      },
      message,
    );
    if (c.kind === "legacy") return false;
    if (c.kind === "reject") sendJson(res, c.status, { jsonrpc: "2.0", id: c.id, error: c.error });
    else if (c.kind === "notification") res.writeHead(202).end();
    else await this.#request(req, res, scope, message as JsonRpcRequest, c.envelope, principal);
    return true;
  }

  /** Ends listen streams gracefully and cancels calls still waiting for input (gateway shutdown). */
  close(): void {
    this.#hub.closeAll(serverInfoOf);
    this.#parked.abandonAll();
  }

  async #request(
    req: IncomingMessage,
    res: ServerResponse,
    scope: Scope,
    request: JsonRpcRequest,
    envelope: Envelope,
    principal: Principal,
  ): Promise<void> {
    const removed = REMOVED[request.method];
    if (removed !== undefined)
      return answerError(
        res,
        request,
        METHOD_NOT_FOUND,
        `Method not found in protocol revision 2026-07-28: ${request.method} (${removed})`,
      );
    if (request.method === "server/discover" || request.method === "subscriptions/listen") {
      return this.#describe(res, scope, request, envelope, principal);
    }
    const accept = req.headers.accept ?? "";
    const canStream =
      accept === "" || accept.includes("text/event-stream") || accept.includes("*/*");
    const token = metaOf(request.params)?.progressToken;
    const round: Round = {
      id: request.id,
      progressToken: typeof token === "string" || typeof token === "number" ? token : undefined,
      reply: new PostReply(res, {}, canStream),
    };
    const state = request.params?.requestState;
    if (typeof state === "string")
      return this.#resume(res, scope, request, round, state, principal);
    this.#start(res, scope, request, round, envelope, principal, requestContextOf(req));
  }

  /** `server/discover` and `subscriptions/listen`: both answer from what `initialize` would say. */
  async #describe(
    res: ServerResponse,
    scope: Scope,
    request: JsonRpcRequest,
    envelope: Envelope,
    principal: Principal,
  ): Promise<void> {
    let description: Record<string, unknown>;
    try {
      if (scope.kind === "server")
        await whenReady(scope.upstream, scope.upstream.config.connectTimeoutMs);
      description = serverDescription(scope, this.#upstreams.values());
    } catch (error) {
      return sendJson(res, 200, {
        jsonrpc: "2.0",
        id: request.id,
        error: encodeError(errorToWire(error)),
      });
    }
    const serverInfo = description.serverInfo as Record<string, unknown> | undefined;
    if (request.method === "server/discover") {
      const result = encodeResult(request.method, discoverResult(description), serverInfo);
      return sendJson(res, 200, { jsonrpc: "2.0", id: request.id, result });
    }
    const capabilities = description.capabilities as Record<string, unknown>;
    const deps = { dispatcher: this.#dispatcher, catalog: this.#catalog, hub: this.#hub };
    return serveListen(
      res,
      request,
      this.#session(scope, envelope, principal),
      { capabilities, serverInfo },
      deps,
    );
  }

  #start(
    res: ServerResponse,
    scope: Scope,
    request: JsonRpcRequest,
    round: Round,
    envelope: Envelope,
    principal: Principal,
    origin: RequestContext | undefined,
  ): void {
    const session = this.#session(scope, envelope, principal);
    const serverInfo = serverInfoOf(scope);
    const call = new ModernCall(session, request.method, INPUT_METHODS.has(request.method), {
      answer: (response) => this.#dispatcher.response(session, response),
      park: (parked) => this.#parked.park(parked),
      encode: (response, id) => encodeResponse(request.method, response, id, serverInfo),
      done: () => this.#dispatcher.closeSession(session),
    });
    watchClose(res, call, round);
    call.attach(round);
    this.#dispatcher
      .request(session, { ...request, params: stripEnvelope(request.params) }, call, origin)
      .then(
        (response) => call.finish(response),
        (error: unknown) =>
          this.#logger.error(
            { method: request.method, err: errorMessage(error) },
            "modern request failed unexpectedly",
          ),
      );
  }

  /** A retry: the client brings the input a parked call asked for. */
  #resume(
    res: ServerResponse,
    scope: Scope,
    request: JsonRpcRequest,
    round: Round,
    state: string,
    principal: Principal,
  ): void {
    const call = this.#parked.take(state);
    if (
      !call ||
      call.method !== request.method ||
      !sameScope(call.session.scope, scope) ||
      !sameCaller(call.session.principal, principal)
    ) {
      call?.abandon();
      const hint = "send the request again without requestState and inputResponses";
      answerError(
        res,
        request,
        INVALID_PARAMS,
        `Invalid params: requestState is unknown, expired or belongs to another request; ${hint}`,
      );
      return;
    }
    const responses = request.params?.inputResponses;
    watchClose(res, call, round);
    call.attach(
      round,
      typeof responses === "object" && responses !== null
        ? (responses as Record<string, unknown>)
        : undefined,
    );
  }

  #session(scope: Scope, envelope: Envelope, principal: Principal): Session {
    const session = new Session(`modern-${++this.#next}`, scope, {
      protocolVersion: envelope.protocolVersion,
      capabilities: envelope.capabilities,
      clientInfo: envelope.clientInfo,
    });
    session.bind(principal);
    session.logLevel = envelope.logLevel;
    return session;
  }
}

/** On HTTP a modern client cancels by closing the exchange: the upstream call is cancelled too. */
function watchClose(res: ServerResponse, call: ModernCall, round: Round): void {
  res.once("close", () => {
    if (call.serving(round)) call.abandon();
  });
}

function serverInfoOf(scope: Scope): Record<string, unknown> | undefined {
  return scope.kind === "server" ? scope.upstream.info?.serverInfo : GATEWAY_INFO;
}

function answerError(
  res: ServerResponse,
  request: JsonRpcRequest,
  code: number,
  message: string,
): void {
  sendJson(res, 200, { jsonrpc: "2.0", id: request.id, error: { code, message } });
}

function sameScope(a: Scope, b: Scope): boolean {
  return a.kind === "aggregate"
    ? b.kind === "aggregate"
    : b.kind === "server" && a.upstream === b.upstream;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}
