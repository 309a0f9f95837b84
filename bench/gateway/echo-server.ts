/**
 * The benchmark's upstream: an MCP server with one `echo` tool, built with the SDK's
 * McpServer. `--stdio` serves one client over stdin/stdout; `--http` serves the SDK's
 * streamable HTTP transport with one server and transport per session (the SDK's
 * advice after GHSA-345p-7cg4-v4c7), bound to the given host.
 *
 *   node bench/gateway/echo-server.ts --stdio
 *   node bench/gateway/echo-server.ts --http --host 127.0.0.1 --port 0
 *
 * Other flags (such as the harness's `--bench-run=<id>` tag) are ignored.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";

const MAX_BODY_BYTES = 1 << 20;

export function createEchoServer(): McpServer {
  const server = new McpServer({ name: "bench-echo", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Returns the text it is given.", inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  return server;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function reject(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

async function handle(
  sessions: Map<string, StreamableHTTPServerTransport>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const sessionId = req.headers["mcp-session-id"];
  const body = req.method === "POST" ? await readJson(req) : undefined;
  if (typeof sessionId === "string") {
    const transport = sessions.get(sessionId);
    if (transport === undefined) return reject(res, 404, "Session not found");
    return transport.handleRequest(req, res, body);
  }
  if (req.method !== "POST" || !isInitializeRequest(body)) {
    return reject(res, 400, "No Mcp-Session-Id header and not an initialize request");
  }
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => void sessions.set(id, transport),
  });
  transport.onclose = () => {
    if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
  };
  await createEchoServer().connect(transport);
  await transport.handleRequest(req, res, body);
}

function serveHttp(host: string, port: number): void {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const server = createServer((req, res) => {
    handle(sessions, req, res).catch((error: unknown) => {
      if (!res.headersSent) reject(res, 500, String(error));
      else res.end();
    });
  });
  server.listen(port, host, () => {
    const address = server.address() as AddressInfo;
    process.stderr.write(`echo-server listening on http://${host}:${address.port}/mcp\n`);
  });
  const stop = () => {
    for (const transport of sessions.values()) void transport.close();
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stdio: { type: "boolean", default: false },
      http: { type: "boolean", default: false },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "0" },
    },
    strict: false,
  });
  if (values.stdio === true) {
    await createEchoServer().connect(new StdioServerTransport());
    return;
  }
  if (values.http === true) return serveHttp(String(values.host), Number(values.port));
  process.stderr.write("usage: echo-server.ts --stdio | --http [--host H] [--port P]\n");
  process.exitCode = 2;
}

if (import.meta.main) await main();
