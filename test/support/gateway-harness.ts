import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { parseConfigText } from "../../src/config/index.ts";
import { Gateway } from "../../src/gateway/index.ts";
import { silentLogger } from "../../src/shared/logger.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const NODE = join(ROOT, "node_modules/.bin/node");
export const CONFORMANCE_SERVER = join(ROOT, "test/fixtures/conformance-server.ts");

export function stdioEntry(script: string, ...args: string[]) {
  return { command: NODE, args: [script, ...args] };
}

/** Starts a real gateway on 127.0.0.1 with a client-style mcpServers config. */
export async function startGateway(
  mcpServers: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const text = JSON.stringify({
    gateway: { listen: "127.0.0.1:0", ...extra },
    servers: mcpServers,
  });
  const config = parseConfigText(text, { file: "test.json", env: {} });
  const gateway = new Gateway({ config, logger: silentLogger() });
  const url = await gateway.listen();
  // Tests start from a settled gateway: every upstream ready or failed once.
  await gateway.startUpstreams();
  return { gateway, url, stop: () => gateway.stop() };
}

/** A real MCP client (the official SDK) connected to a gateway endpoint. */
export async function connectClient(
  url: string,
  capabilities: Record<string, unknown> = {},
  name = "test-client",
) {
  const client = new Client({ name, version: "1.0.0" }, { capabilities });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

export type Started = Awaited<ReturnType<typeof startGateway>>;

/** Starts a gateway, connects one client, runs `body`, and always closes both. */
export async function withGateway(
  servers: Record<string, unknown>,
  body: (gw: Started, client: Client) => Promise<void>,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const gw = await startGateway(servers, extra);
  let client: Client | undefined;
  try {
    client = await connectClient(`${gw.url}/mcp`);
    await body(gw, client);
  } finally {
    await client?.close();
    await gw.stop();
  }
}
