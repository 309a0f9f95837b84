import { request } from "node:http";
import { join } from "node:path";
import { Writable } from "node:stream";
import { parseConfigText } from "../../../src/config/index.ts";
import { Gateway } from "../../../src/gateway/index.ts";
import { createLogger } from "../../../src/shared/logger.ts";
import { ROOT, stdioEntry } from "../../support/gateway-harness.ts";

export const FIXTURE = stdioEntry(join(ROOT, "test/fixtures/upstreams/stdio-server.ts"));

/** A real gateway on 127.0.0.1 whose log lines are kept in memory (to prove secrets never reach them). */
export async function startSecured(
  gateway: Record<string, unknown>,
  servers: Record<string, unknown> = { fx: FIXTURE },
  env: Record<string, string> = {},
) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const text = JSON.stringify({ gateway: { listen: "127.0.0.1:0", ...gateway }, servers });
  const config = parseConfigText(text, { file: join(ROOT, "test.json"), env });
  const logger = createLogger({ level: "debug", destination });
  const gw = new Gateway({ config, logger });
  const url = await gw.listen();
  await gw.startUpstreams();
  return { gateway: gw, url, logs: () => lines.join(""), stop: () => gw.stop() };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers of many shapes
  json(): any;
}

/** One HTTP request with full control of headers (fetch refuses to set Host). */
export function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? "GET", headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url} in 10 s`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

const JSON_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

/** POST one JSON-RPC message to an MCP endpoint. */
export function rpc(url: string, message: unknown, headers: Record<string, string> = {}) {
  return raw(url, {
    method: "POST",
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(message),
  });
}

let nextId = 0;

/** initialize + notifications/initialized; returns the session id. */
export async function openSession(
  url: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const init = await rpc(
    url,
    {
      jsonrpc: "2.0",
      id: ++nextId,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "sec", version: "1" },
      },
    },
    headers,
  );
  if (init.status !== 200) throw new Error(`initialize answered ${init.status}: ${init.text}`);
  const session = String(init.headers["mcp-session-id"]);
  await rpc(
    url,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { ...headers, "mcp-session-id": session },
  );
  return session;
}

export function call(
  url: string,
  session: string,
  method: string,
  params: unknown,
  headers: Record<string, string> = {},
) {
  return rpc(
    url,
    { jsonrpc: "2.0", id: ++nextId, method, params },
    { ...headers, "mcp-session-id": session, "mcp-protocol-version": "2025-06-18" },
  );
}
