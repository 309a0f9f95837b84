import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../shared/logger.ts";
import { ANONYMOUS, type Principal, sameCaller } from "../auth/principal.ts";
import { FORBIDDEN } from "../auth/wire.ts";
import { INVALID_REQUEST, PARSE_ERROR, SESSION_NOT_FOUND } from "../jsonrpc/codes.ts";
import {
  isNotification,
  isRequest,
  isResponse,
  type JsonRpcMessage,
  validateMessage,
} from "../jsonrpc/messages.ts";
import type { Dispatcher } from "../mcp/dispatcher.ts";
import { errorToWire } from "../mcp/outcomes.ts";
import { isSupportedVersion } from "../mcp/protocol.ts";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../policy/json-depth.ts";
import {
  cancelsElsewhere,
  foreignOwner,
  foreignStateError,
  RETRY_SOON,
  type SharedSessions,
  storeUnavailable,
} from "../scaleout/index.ts";
import { ReplayBuffer, resumesStreams } from "../session/replay-buffer.ts";
import type { Scope, Session } from "../session/session.ts";
import type { SessionStore } from "../session/session-store.ts";
import { STATE_CHANGING } from "../session/shared-state.ts";
import { BodyTooLarge, readBody } from "./body.ts";
import { EventStream } from "./event-stream.ts";
import type { ModernEndpoint } from "./modern-endpoint.ts";
import { PostReply } from "./post-reply.ts";
import { requestContextOf } from "./request-context.ts";
import { sendJson, sendRpcError, sendText } from "./respond.ts";
import { resumableGet } from "./resumable-get.ts";
import { SseStream } from "./sse.ts";

export interface McpEndpointDeps {
  dispatcher: Dispatcher;
  sessions: SessionStore;
  maxBodyBytes: number;
  logger: Logger;
  /** Serves session-less 2026-07-28 requests; without it they get the legacy answers. */
  modern?: ModernEndpoint;
  /** Sessions shared with other instances through Redis (`gateway.sessions.store: redis`). */
  shared?: SharedSessions;
}

const SESSION_HEADER = "mcp-session-id";

/** Streamable HTTP (MCP 2025-03-26 and later) for one scope: POST messages, GET a stream, DELETE the session. */
export async function handleMcp(
  req: IncomingMessage,
  res: ServerResponse,
  scope: Scope,
  deps: McpEndpointDeps,
  principal: Principal = ANONYMOUS,
): Promise<void> {
  if (req.method === "POST") return handlePost(req, res, scope, deps, principal);
  if (req.method === "GET") return handleGet(req, res, scope, deps, principal);
  if (req.method === "DELETE") return handleDelete(req, res, scope, deps, principal);
  res.setHeader("allow", "GET, POST, DELETE");
  return sendRpcError(res, 405, {
    code: INVALID_REQUEST,
    message: `method ${req.method} not allowed on an MCP endpoint`,
  });
}

async function handlePost(
  req: IncomingMessage,
  res: ServerResponse,
  scope: Scope,
  deps: McpEndpointDeps,
  principal: Principal,
): Promise<void> {
  const contentType = req.headers["content-type"] ?? "";
  if (!contentType.includes("application/json")) {
    return sendRpcError(res, 415, {
      code: INVALID_REQUEST,
      message: "Content-Type must be application/json",
    });
  }
  const parsed = await readMessage(req, deps.maxBodyBytes);
  if ("status" in parsed) return sendRpcError(res, parsed.status, parsed.error);
  const message = parsed.message;
  const shared = deps.shared;
  if (shared && req.headers[SESSION_HEADER] === undefined) {
    const owner = foreignOwner(message, shared.instance);
    if (owner !== undefined) {
      const error = foreignStateError(owner, shared.instance);
      return sendJson(res, 200, { jsonrpc: "2.0", id: "id" in message ? message.id : null, error });
    }
  }
  if (
    deps.modern &&
    req.headers[SESSION_HEADER] === undefined &&
    (await deps.modern.serve(req, res, scope, message, principal))
  )
    return;
  const accept = req.headers.accept ?? "";
  if (isRequest(message) && message.method === "initialize")
    return initialize(res, scope, message, deps, principal);

  const session = await findSession(req, res, scope, deps, principal);
  if (!session) return;
  if (isRequest(message)) {
    const reply = new PostReply(
      res,
      {},
      accept.includes("text/event-stream") || accept === "" || accept.includes("*/*"),
      session.replay,
    );
    const response = await deps.dispatcher.request(session, message, reply, requestContextOf(req));
    // Written before the answer, so the client's next request sees it on any instance.
    if (shared && STATE_CHANGING.has(message.method) && "result" in response)
      await shared.saved(session);
    reply.end(response);
    return;
  }
  if (isNotification(message)) {
    if (shared && cancelsElsewhere(message, session.inFlight)) shared.relay(session, message);
    deps.dispatcher.notification(session, message);
  } else if (isResponse(message) && !deps.dispatcher.response(session, message)) {
    // Asked by another instance's call: relayed there (it ignores what it did not ask either).
    if (shared) shared.relay(session, message);
    deps.logger.debug(
      { session: session.id, id: message.id },
      "client answered a request we did not send",
    );
  }
  res.writeHead(202).end();
}

async function readMessage(
  req: IncomingMessage,
  limit: number,
): Promise<
  { message: JsonRpcMessage } | { status: number; error: { code: number; message: string } }
> {
  let body: Buffer;
  try {
    body = await readBody(req, limit);
  } catch (error) {
    if (error instanceof BodyTooLarge)
      return { status: 413, error: { code: INVALID_REQUEST, message: error.message } };
    throw error;
  }
  if (nestsDeeperThan(body))
    return {
      status: 400,
      error: {
        code: INVALID_REQUEST,
        message: `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      },
    };
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return {
      status: 400,
      error: { code: PARSE_ERROR, message: `Parse error: ${(error as Error).message}` },
    };
  }
  if (Array.isArray(value)) {
    return {
      status: 400,
      error: {
        code: INVALID_REQUEST,
        message:
          "JSON-RPC batches are not supported (removed in MCP 2025-06-18); send one message per request",
      },
    };
  }
  const checked = validateMessage(value);
  if (!checked.ok)
    return {
      status: 400,
      error: { code: INVALID_REQUEST, message: `Invalid JSON-RPC message: ${checked.reason}` },
    };
  return { message: checked.message };
}

async function initialize(
  res: ServerResponse,
  scope: Scope,
  message: { id: string | number; params?: Record<string, unknown> },
  deps: McpEndpointDeps,
  principal: Principal,
): Promise<void> {
  try {
    const { session, result } = await deps.dispatcher.initialize(
      deps.shared ? deps.shared.newId() : randomUUID(),
      scope,
      message.params,
    );
    session.bind(principal);
    if (resumesStreams(session.client.protocolVersion)) session.replay = new ReplayBuffer();
    if (deps.shared && !(await storeShared(res, message.id, session, deps, deps.shared))) return;
    deps.sessions.add(session);
    sendJson(
      res,
      200,
      { jsonrpc: "2.0", id: message.id, result },
      { [SESSION_HEADER]: session.id },
    );
  } catch (error) {
    sendJson(res, 200, { jsonrpc: "2.0", id: message.id, error: errorToWire(error) });
  }
}

/** With shared sessions a new session exists once Redis holds it; else 503 (other instances could not serve it). */
async function storeShared(
  res: ServerResponse,
  id: string | number,
  session: Session,
  deps: McpEndpointDeps,
  shared: SharedSessions,
): Promise<boolean> {
  try {
    await shared.create(session);
    return true;
  } catch (error) {
    deps.dispatcher.closeSession(session);
    deps.logger.warn({ err: (error as Error).message }, "session not created: shared store down");
    sendJson(
      res,
      503,
      { jsonrpc: "2.0", id, error: storeUnavailable("new sessions cannot be opened") },
      RETRY_SOON,
    );
    return false;
  }
}

/** Finds the request's session, or answers the request with the reason there is none. */
async function findSession(
  req: IncomingMessage,
  res: ServerResponse,
  scope: Scope,
  deps: McpEndpointDeps,
  principal: Principal,
): Promise<Session | undefined> {
  const version = req.headers["mcp-protocol-version"];
  if (typeof version === "string" && !isSupportedVersion(version)) {
    sendRpcError(res, 400, {
      code: INVALID_REQUEST,
      message: `Unsupported MCP-Protocol-Version: ${version}`,
    });
    return undefined;
  }
  const id = req.headers[SESSION_HEADER];
  if (typeof id !== "string" || id === "") {
    sendRpcError(res, 400, {
      code: INVALID_REQUEST,
      message: "Bad Request: Mcp-Session-Id header is required (send initialize first)",
    });
    return undefined;
  }
  let session: Session | undefined;
  try {
    session = deps.shared ? await deps.shared.find(id, principal) : deps.sessions.get(id);
  } catch {
    sendRpcError(res, 503, storeUnavailable("this session cannot be loaded"), RETRY_SOON);
    return undefined;
  }
  if (!session || !sameScope(session.scope, scope)) {
    sendRpcError(res, 404, {
      code: SESSION_NOT_FOUND,
      message: "Session not found: it expired or was closed; initialize again",
    });
    return undefined;
  }
  if (!sameCaller(session.principal, principal)) {
    // A session id alone must not let another caller use the session (no hijack).
    deps.logger.warn({ session: session.id }, "session used by another caller; refused");
    sendRpcError(res, 403, {
      code: FORBIDDEN,
      message: "Forbidden: this session belongs to another caller; initialize your own session",
    });
    return undefined;
  }
  return session;
}

function sameScope(a: Scope, b: Scope): boolean {
  return a.kind === "aggregate"
    ? b.kind === "aggregate"
    : b.kind === "server" && a.upstream === b.upstream;
}

async function handleGet(
  req: IncomingMessage,
  res: ServerResponse,
  scope: Scope,
  deps: McpEndpointDeps,
  principal: Principal,
): Promise<void> {
  if (!(req.headers.accept ?? "").includes("text/event-stream")) {
    sendText(res, 406, "Not Acceptable: GET needs Accept: text/event-stream");
    return;
  }
  const session = await findSession(req, res, scope, deps, principal);
  if (!session) return;
  if (session.replay) {
    resumableGet(req, res, session, session.replay, { [SESSION_HEADER]: session.id });
    return;
  }
  if (session.standalone.open) {
    sendRpcError(res, 409, {
      code: INVALID_REQUEST,
      message: "Conflict: this session already has a stream open",
    });
    return;
  }
  session.standalone = new SseStream(res, { [SESSION_HEADER]: session.id });
}

async function handleDelete(
  req: IncomingMessage,
  res: ServerResponse,
  scope: Scope,
  deps: McpEndpointDeps,
  principal: Principal,
): Promise<void> {
  const session = await findSession(req, res, scope, deps, principal);
  if (!session) return;
  if (deps.shared) {
    try {
      await deps.shared.remove(session);
    } catch {
      // Nothing ended: ending it here only would leave it alive on the other instances.
      return sendRpcError(
        res,
        503,
        storeUnavailable("the session cannot be ended everywhere"),
        RETRY_SOON,
      );
    }
  }
  deps.sessions.delete(session.id);
  deps.dispatcher.closeSession(session);
  if (session.standalone instanceof SseStream || session.standalone instanceof EventStream)
    session.standalone.close();
  res.writeHead(200).end();
}
