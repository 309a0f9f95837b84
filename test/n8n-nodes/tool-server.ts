/**
 * The MCP server behind the gateway in the n8n node tests, over stdio:
 * `echo` returns its text, `fail` reports a tool error (`isError: true`).
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "n8n-test-tools", version: "1.0.0" });
server.registerTool(
  "echo",
  { description: "Returns the text it is given.", inputSchema: { text: z.string() } },
  async ({ text }) => ({ content: [{ type: "text", text }] }),
);
server.registerTool(
  "fail",
  { description: "Always reports a tool error.", inputSchema: { reason: z.string() } },
  async ({ reason }) => ({ content: [{ type: "text", text: `failed: ${reason}` }], isError: true }),
);
await server.connect(new StdioServerTransport());
