/**
 * Upstream of the cache comparison: one read-only `lookup` tool that waits
 * LOOKUP_DELAY_MS (default 5 ms, a small database query's round trip) and
 * answers with the key. Served over stdio: `node bench/gateway/lookup-server.ts`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import * as z from "zod";

const delayMs = Number(process.env.LOOKUP_DELAY_MS ?? "5");
const server = new McpServer({ name: "bench-lookup", version: "1.0.0" });
server.registerTool(
  "lookup",
  {
    description: "Looks a key up (takes LOOKUP_DELAY_MS).",
    inputSchema: { key: z.string() },
    annotations: { readOnlyHint: true },
  },
  async ({ key }) => {
    await sleep(delayMs);
    return { content: [{ type: "text", text: `value of ${key}` }] };
  },
);
await server.connect(new StdioServerTransport());
