import type { IncomingMessage, ServerResponse } from "node:http";
import type { Principal } from "../auth/principal.ts";
import { POLICY_DENIED } from "../auth/wire.ts";
import type { Catalog } from "../catalog/catalog.ts";
import { BodyTooLarge, readBody } from "../http/body.ts";
import { requestContextOf } from "../http/request-context.ts";
import { sendJson } from "../http/respond.ts";
import { RATE_LIMITED } from "../limits/wire.ts";
import { filterList } from "../mcp/call-pipeline.ts";
import type { Forwarder } from "../mcp/forwarder.ts";
import { TOOL_DEFINITION_CHANGED } from "../pinning/wire.ts";
import type { Upstream } from "../upstream/types.ts";
import { buildOpenApi, type ServerTools } from "./openapi.ts";

export interface RestDeps {
  catalog: Catalog;
  upstreams: ReadonlyMap<string, Upstream>;
  forwarder: Forwarder;
  maxBodyBytes: number;
  version: string;
}

/** Status for a tool result that carries a gateway error code (set by the forwarder). */
const STATUS_BY_ERROR: Record<string, number> = {
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_OVERLOADED: 503,
  UPSTREAM_PROTOCOL: 502,
};

function restError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

/** 429 with Retry-After in whole seconds (at least 1), from the limiter's retryAfterMs. */
function rateLimited(res: ServerResponse, message: string, data: unknown): void {
  const ms = (data as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  const seconds = Math.max(1, Math.ceil((typeof ms === "number" ? ms : 1000) / 1000));
  restError(res, 429, "RATE_LIMITED", message, { "retry-after": String(seconds) });
}

/** Each server's tools this caller may see. */
async function toolsByServer(deps: RestDeps, principal: Principal): Promise<ServerTools[]> {
  await deps.catalog.ensure("tools");
  const out: ServerTools[] = [];
  const pipeline = deps.forwarder.pipeline;
  for (const server of [...deps.upstreams.keys()].sort()) {
    const all = deps.catalog.serverList(server, "tools") ?? [];
    const tools = filterList(pipeline, principal, "tools", all, (name) => ({ server, name }));
    out.push({ server, tools });
  }
  return out;
}

/** GET /v1/tools: every tool with its server, un-prefixed name and input schema. */
export async function listTools(
  res: ServerResponse,
  deps: RestDeps,
  principal: Principal,
): Promise<void> {
  const tools = (await toolsByServer(deps, principal)).flatMap(({ server, tools }) =>
    tools.map((tool) => ({
      server,
      ...tool,
      path: `/v1/tools/${encodeURIComponent(server)}/${encodeURIComponent(String(tool.name))}`,
    })),
  );
  sendJson(res, 200, { tools, missing: deps.catalog.failures("tools") });
}

/** GET /openapi.json */
export async function openApi(
  req: IncomingMessage,
  res: ServerResponse,
  deps: RestDeps,
  principal: Principal,
): Promise<void> {
  const host = req.headers.host;
  sendJson(
    res,
    200,
    buildOpenApi(
      await toolsByServer(deps, principal),
      host ? `http://${host}` : undefined,
      deps.version,
    ),
  );
}

/** POST /v1/tools/<server>/<tool> with the arguments as a JSON object. */
export async function callTool(
  req: IncomingMessage,
  res: ServerResponse,
  server: string,
  tool: string,
  deps: RestDeps,
  principal: Principal,
): Promise<void> {
  const upstream = deps.upstreams.get(server);
  if (!upstream)
    return restError(
      res,
      404,
      "UNKNOWN_SERVER",
      `no server named "${server}"; GET /v1/tools lists them`,
    );
  // Only a list the server has given can rule a tool out; without one the call goes through.
  const listed = deps.catalog.serverList(server, "tools");
  if (listed !== undefined && !listed.some((t) => t.name === tool))
    return restError(
      res,
      404,
      "UNKNOWN_TOOL",
      `server "${server}" has no tool named "${tool}"; GET /v1/tools lists them`,
    );
  let args: unknown;
  try {
    const body = await readBody(req, deps.maxBodyBytes);
    args = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch (error) {
    if (error instanceof BodyTooLarge) return restError(res, 413, "BODY_TOO_LARGE", error.message);
    return restError(
      res,
      400,
      "INVALID_JSON",
      `body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    return restError(
      res,
      400,
      "INVALID_ARGUMENTS",
      "body must be a JSON object of the tool's arguments",
    );
  }
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const outcome = await deps.forwarder.tool(
    upstream,
    tool,
    { name: tool, arguments: args },
    { signal: controller.signal, request: requestContextOf(req) },
    { principal, exposedName: tool },
  );
  if ("error" in outcome) {
    if (outcome.error.code === POLICY_DENIED)
      return restError(res, 403, "FORBIDDEN", outcome.error.message);
    if (outcome.error.code === RATE_LIMITED)
      return rateLimited(res, outcome.error.message, outcome.error.data);
    if (outcome.error.code === TOOL_DEFINITION_CHANGED)
      return restError(res, 409, "TOOL_DEFINITION_CHANGED", outcome.error.message);
    const unknown = /unknown tool|not found/i.test(outcome.error.message);
    return restError(
      res,
      unknown ? 404 : 502,
      unknown ? "UNKNOWN_TOOL" : "TOOL_FAILED",
      outcome.error.message,
    );
  }
  const meta = outcome.result._meta as Record<string, unknown> | undefined;
  const gatewayError =
    typeof meta?.["io.sophia/error"] === "string" ? (meta["io.sophia/error"] as string) : undefined;
  const status = gatewayError
    ? (STATUS_BY_ERROR[gatewayError] ?? 502)
    : outcome.result.isError === true
      ? 422
      : 200;
  sendJson(res, status, outcome.result);
}
