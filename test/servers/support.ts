/** A real gateway serving built-in servers, and a real MCP client on it. */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { parseConfigText } from "../../src/config/index.ts";
import { createLocalEmbedder } from "../../src/flow/embed/index.ts";
import { Gateway } from "../../src/gateway/index.ts";
import { builtinServers } from "../../src/servers/index.ts";
import { silentLogger } from "../../src/shared/logger.ts";
import { connectClient } from "../support/gateway-harness.ts";

export const PG_URL =
  process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A name no other test run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
}

export interface BuiltinGateway {
  gateway: Gateway;
  client: Client;
  url: string;
  stop(): Promise<void>;
}

/** `servers` as written in sophia.yaml (JSON here); built-ins get the local embedder. */
export async function startBuiltinGateway(
  servers: Record<string, unknown>,
  options: { fetch?: typeof fetch; cwd?: string } = {},
): Promise<BuiltinGateway> {
  const text = JSON.stringify({ gateway: { listen: "127.0.0.1:0" }, servers });
  const config = parseConfigText(text, { file: "sophia.yaml", env: {} });
  const builtins = builtinServers({
    config,
    cwd: options.cwd ?? process.cwd(),
    version: "test",
    embedder: () => createLocalEmbedder(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const gateway = new Gateway({ config, logger: silentLogger(), builtins });
  const url = await gateway.listen();
  await gateway.startUpstreams();
  const client = await connectClient(`${url}/mcp`).catch(async (error: unknown) => {
    await gateway.stop();
    throw error;
  });
  return {
    gateway,
    client,
    url,
    async stop() {
      await client.close().catch(() => {});
      await gateway.stop();
    },
  };
}

/** Calls a tool through the gateway; returns the parsed JSON text and whether it was an error. */
export async function callJson(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ isError: boolean; value: unknown; text: string }> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text?: string }[];
  const text = content.map((c) => c.text ?? "").join("");
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {}
  return { isError: result.isError === true, value, text };
}
