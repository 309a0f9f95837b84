import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { HttpAuth } from "../auth/http-auth.ts";
import { ANONYMOUS, type Principal } from "../auth/principal.ts";
import { INTERNAL_ERROR, INVALID_REQUEST } from "../jsonrpc/codes.ts";
import type { Scope } from "../session/session.ts";
import type { Upstream } from "../upstream/types.ts";
import { checkOrigin } from "./guard.ts";
import { sendJson, sendRpcError, sendText } from "./respond.ts";

/** What the router needs from the gateway; each handler owns its response. */
export interface RouteHandlers {
  mcp(
    req: IncomingMessage,
    res: ServerResponse,
    scope: Scope,
    principal: Principal,
  ): Promise<void> | void;
  listTools(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void>;
  callTool(
    req: IncomingMessage,
    res: ServerResponse,
    server: string,
    tool: string,
    principal: Principal,
  ): Promise<void>;
  openApi(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void>;
  health(res: ServerResponse): void;
  ready(res: ServerResponse): void;
  metrics(res: ServerResponse): Promise<void>;
  upstream(name: string): Upstream | undefined;
  observe?(route: string, status: number): void;
}

export interface RouterOptions {
  boundToLoopback: boolean;
  allowedOrigins: readonly string[];
  logger: Logger;
  /** Authentication; without it every caller is anonymous (the loopback-only default). */
  auth?: HttpAuth;
}

const SERVER_PATH = /^\/servers\/([^/]+)\/mcp$/;
const TOOL_PATH = /^\/v1\/tools\/([^/]+)\/([^/]+)$/;
const AGGREGATE: Scope = { kind: "aggregate" };

/** Maps a request to its handler after the origin check; unexpected failures are logged, never leaked. */
export function createRouter(handlers: RouteHandlers, options: RouterOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = headerValue(req.headers["x-request-id"]) ?? randomUUID();
    res.setHeader("x-request-id", requestId);
    const path = (req.url ?? "/").split("?", 1)[0]!;
    const route = routeName(path);
    const debug = options.logger.isLevelEnabled("debug");
    const started = debug ? performance.now() : 0;
    res.on("finish", () => {
      handlers.observe?.(route, res.statusCode);
      if (debug) {
        const ms = Math.round((performance.now() - started) * 100) / 100;
        options.logger.debug(
          { requestId, method: req.method, route, status: res.statusCode, ms },
          "request",
        );
      }
    });
    try {
      const refused = checkOrigin(req.headers, options.boundToLoopback, options.allowedOrigins);
      if (refused)
        return sendRpcError(res, 403, { code: INVALID_REQUEST, message: `Forbidden: ${refused}` });
      let principal = ANONYMOUS;
      const auth = options.auth;
      if (auth) {
        if (auth.servesMetadata(path)) return auth.metadata(req, res, path);
        if (auth.protects(path)) {
          // Every request is authenticated again: a key revoked mid-session stops at once.
          const outcome = await auth.authenticate(req);
          if (!outcome.ok) return auth.refuse(req, res, path, outcome);
          principal = outcome.principal;
        }
      }
      await dispatch(req, res, path, handlers, principal);
    } catch (error) {
      options.logger.error(
        { requestId, path, err: errorMessage(error) },
        "request failed unexpectedly",
      );
      if (!res.headersSent)
        sendRpcError(res, 500, {
          code: INTERNAL_ERROR,
          message: `internal error (request ${requestId})`,
        });
      else res.end();
    }
  };
}

async function dispatch(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  handlers: RouteHandlers,
  principal: Principal,
): Promise<void> {
  if (path === "/mcp") return handlers.mcp(req, res, AGGREGATE, principal);
  const server = SERVER_PATH.exec(path);
  if (server) {
    const name = decodeSegment(server[1]!);
    if (name === undefined)
      return sendRpcError(res, 400, {
        code: INVALID_REQUEST,
        message: `the server name in ${path} is not valid percent-encoding (escape % as %25)`,
      });
    const upstream = handlers.upstream(name);
    if (!upstream)
      return sendRpcError(res, 404, {
        code: INVALID_REQUEST,
        message: `no server named "${name}"`,
      });
    return handlers.mcp(req, res, { kind: "server", upstream }, principal);
  }
  const tool = TOOL_PATH.exec(path);
  if (tool && req.method === "POST") {
    const [serverName, toolName] = [decodeSegment(tool[1]!), decodeSegment(tool[2]!)];
    if (serverName === undefined || toolName === undefined)
      return sendJson(res, 400, {
        error: {
          code: "BAD_REQUEST",
          message: `the server or tool name in ${path} is not valid percent-encoding (escape % as %25)`,
        },
      });
    return handlers.callTool(req, res, serverName, toolName, principal);
  }
  if (req.method !== "GET")
    return sendJson(res, 405, {
      error: { code: "METHOD_NOT_ALLOWED", message: `${req.method} ${path} is not supported` },
    });
  switch (path) {
    case "/v1/tools":
      return handlers.listTools(req, res, principal);
    case "/openapi.json":
      return handlers.openApi(req, res, principal);
    case "/healthz":
      return handlers.health(res);
    case "/readyz":
      return handlers.ready(res);
    case "/metrics":
      return handlers.metrics(res);
    default:
      return sendText(res, 404, `not found: ${path}\n`);
  }
}

/** A bounded set of route labels for metrics (paths with names collapse to their pattern). */
function routeName(path: string): string {
  if (
    path === "/mcp" ||
    path === "/v1/tools" ||
    path === "/openapi.json" ||
    path === "/healthz" ||
    path === "/readyz" ||
    path === "/metrics"
  )
    return path;
  if (path.startsWith("/.well-known/")) return "/.well-known";
  if (SERVER_PATH.test(path)) return "/servers/:name/mcp";
  if (TOOL_PATH.test(path)) return "/v1/tools/:server/:tool";
  return "other";
}

/** A percent-decoded path segment; undefined for a malformed escape such as `%zz` or a lone `%`. */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== undefined && v.length > 0 && v.length <= 128 ? v : undefined;
}
