/**
 * A lean MCP client speaking raw JSON-RPC over streamable HTTP through an undici Pool:
 * no SDK client on the load side, so the generator spends its CPU on requests, not on
 * schema validation. Handles both response styles a server may choose for a POST:
 * one `application/json` body, or a `text/event-stream` whose `data:` events carry the
 * response with the matching id (other events are skipped).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { createSseParser } from "./sse.ts";

/** The 2025 revision every target here supports; the server may answer with another. */
export const CLIENT_PROTOCOL_VERSION = "2025-06-18";

export interface RpcResponse {
  jsonrpc: "2.0";
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface McpSession {
  path: string;
  sessionId: string | undefined;
  protocolVersion: string;
  nextId: number;
  /** Extra headers sent with every request (credentials). */
  headers?: Record<string, string>;
}

/** `http`: a non-2xx status; `transport`: the exchange failed; `no-response`: no matching id. */
export type FailureKind = "http" | "transport" | "no-response";

export class McpHttpError extends Error {
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  message: RpcResponse | undefined;
}

function isResponseTo(value: unknown, id: number): value is RpcResponse {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Record<string, unknown>;
  return message.id === id && ("result" in message || "error" in message);
}

async function readSse(body: AsyncIterable<Buffer>, id: number): Promise<RpcResponse | undefined> {
  let found: RpcResponse | undefined;
  const parser = createSseParser((data) => {
    if (found !== undefined || data === "") return;
    try {
      const message: unknown = JSON.parse(data);
      if (isResponseTo(message, id)) found = message;
    } catch {
      // A priming or keep-alive event carries no JSON-RPC message.
    }
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) parser.push(decoder.decode(chunk, { stream: true }));
  parser.push(`${decoder.decode()}\n\n`);
  return found;
}

function sessionHeaders(
  session: McpSession | undefined,
  extra?: Record<string, string>,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...(session?.headers ?? extra),
    accept: "application/json, text/event-stream",
    "content-type": "application/json",
  };
  if (session?.sessionId !== undefined) headers["mcp-session-id"] = session.sessionId;
  if (session !== undefined) headers["mcp-protocol-version"] = session.protocolVersion;
  return headers;
}

async function post(
  pool: Dispatcher,
  path: string,
  session: McpSession | undefined,
  payload: Record<string, unknown>,
  timeoutMs: number,
  extra?: Record<string, string>,
): Promise<Exchange> {
  const id = typeof payload.id === "number" ? payload.id : undefined;
  let response: Dispatcher.ResponseData;
  try {
    response = await pool.request({
      path,
      method: "POST",
      headers: sessionHeaders(session, extra),
      body: JSON.stringify(payload),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (error) {
    throw new McpHttpError("transport", `POST ${path}: ${(error as Error).message}`);
  }
  const { statusCode: status, headers, body } = response;
  try {
    if (id === undefined || status >= 300) {
      const text = await body.text();
      if (status >= 300)
        throw new McpHttpError("http", `POST ${path}: HTTP ${status} ${text.slice(0, 200)}`);
      return { status, headers, message: undefined };
    }
    const type = String(headers["content-type"] ?? "");
    if (type.includes("text/event-stream"))
      return { status, headers, message: await readSse(body, id) };
    const message: unknown = await body.json();
    return { status, headers, message: isResponseTo(message, id) ? message : undefined };
  } catch (error) {
    if (error instanceof McpHttpError) throw error;
    throw new McpHttpError(
      "transport",
      `POST ${path}: reading the body: ${(error as Error).message}`,
    );
  }
}

async function request(
  pool: Dispatcher,
  session: McpSession,
  method: string,
  params: Record<string, unknown>,
  timeoutMs: number,
): Promise<RpcResponse> {
  const id = session.nextId++;
  const exchange = await post(
    pool,
    session.path,
    session,
    { jsonrpc: "2.0", id, method, params },
    timeoutMs,
  );
  if (exchange.message === undefined) {
    throw new McpHttpError("no-response", `${method}: no response with id ${id} in the body`);
  }
  return exchange.message;
}

/** A real handshake: `initialize`, then `notifications/initialized` on the new session. */
export async function openSession(
  pool: Dispatcher,
  path: string,
  timeoutMs: number,
  /** Sent with every request of the session (an API key for sophia-prod). */
  headers?: Record<string, string>,
): Promise<McpSession> {
  const params = {
    protocolVersion: CLIENT_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: "sophia-bench", version: "1.0.0" },
  };
  const init = { jsonrpc: "2.0", id: 0, method: "initialize", params };
  const exchange = await post(pool, path, undefined, init, timeoutMs, headers);
  const result = exchange.message?.result as { protocolVersion?: unknown } | undefined;
  if (typeof result?.protocolVersion !== "string") {
    const why = exchange.message?.error?.message ?? "no initialize result";
    throw new McpHttpError("no-response", `initialize: ${why}`);
  }
  const sessionId = exchange.headers["mcp-session-id"];
  const session: McpSession = {
    path,
    sessionId: typeof sessionId === "string" ? sessionId : undefined,
    protocolVersion: result.protocolVersion,
    nextId: 1,
    ...(headers ? { headers } : {}),
  };
  await post(
    pool,
    path,
    session,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    timeoutMs,
  );
  return session;
}

export function callTool(
  pool: Dispatcher,
  session: McpSession,
  name: string,
  args: Record<string, unknown>,
  timeoutMs: number,
): Promise<RpcResponse> {
  return request(pool, session, "tools/call", { name, arguments: args }, timeoutMs);
}

/** Ends the session so the target can free it (supergateway stops its per-session child). */
export async function closeSession(
  pool: Dispatcher,
  session: McpSession,
  timeoutMs: number,
): Promise<void> {
  if (session.sessionId === undefined) return;
  const response = await pool.request({
    path: session.path,
    method: "DELETE",
    headers: sessionHeaders(session),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  await response.body.dump();
}
