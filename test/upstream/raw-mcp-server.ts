/**
 * A hand-written streamable HTTP server for tests that need exact control of
 * the wire: when a stream closes, which event ids it carries, what a GET with
 * Last-Event-ID replays. It answers the handshake itself (initialize as JSON
 * with session "sess-1", notifications with 202, DELETE with 200); the test
 * answers the rest. Binds 127.0.0.1 on a free port.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const SESSION = "sess-1";
export const VERSION = "2025-11-25";

export interface RawRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON-RPC message of a POST. */
  message: { id?: number | string; method?: string; params?: Record<string, unknown> } | undefined;
  /** Date.now() when the request arrived. */
  at: number;
}

/** Answers what the server does not answer itself; `res` is left to the test. */
export type RawHandler = (request: RawRequest, res: ServerResponse) => void;

export interface RawServer {
  url: string;
  requests: RawRequest[];
  gets(): RawRequest[];
  close(): Promise<void>;
}

export async function startRawServer(handler: RawHandler): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const message = body === "" ? undefined : JSON.parse(body);
      const request = { method: req.method ?? "", headers: req.headers, message, at: Date.now() };
      requests.push(request);
      if (!answerBasics(request, res)) handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    gets: () => requests.filter((r) => r.method === "GET"),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answerBasics(request: RawRequest, res: ServerResponse): boolean {
  const message = request.message;
  if (request.method === "DELETE" || (request.method === "POST" && message?.id === undefined)) {
    res.writeHead(request.method === "DELETE" ? 200 : 202).end();
    return true;
  }
  if (request.method !== "POST" || message === undefined) return false;
  if (message.method !== "initialize") return false;
  const result = {
    protocolVersion: VERSION,
    capabilities: { tools: {}, logging: {} },
    serverInfo: { name: "raw", version: "1" },
  };
  res.writeHead(200, { "content-type": "application/json", "mcp-session-id": SESSION });
  res.end(JSON.stringify({ jsonrpc: "2.0", id: message.id, result }));
  return true;
}

/** Starts an SSE response. */
export function openSse(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "mcp-session-id": SESSION });
  res.flushHeaders();
}

/** Writes one event; `message` undefined writes a priming event (id, empty data). */
export function sendEvent(
  res: ServerResponse,
  event: { id?: string; retry?: number; message?: unknown },
): void {
  let text = "";
  if (event.id !== undefined) text += `id: ${event.id}\n`;
  if (event.retry !== undefined) text += `retry: ${event.retry}\n`;
  const data = event.message === undefined ? "" : JSON.stringify(event.message);
  res.write(`${text}data: ${data}\n\n`);
}

export function toolResult(id: number | string | undefined, text: string): unknown {
  return { jsonrpc: "2.0", id, result: { content: [{ type: "text", text }] } };
}

export function logMessage(data: string): unknown {
  return { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data } };
}
