import type { ListItem } from "../catalog/list-kinds.ts";

export interface ServerTools {
  server: string;
  tools: ListItem[];
}

const CALL_RESULT = {
  type: "object",
  properties: {
    content: { type: "array", items: { type: "object" } },
    structuredContent: { type: "object" },
    isError: { type: "boolean" },
  },
  required: ["content"],
};

const ERROR = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
  },
};

/**
 * An OpenAPI 3.1 document with one operation per tool, so non-MCP callers
 * (n8n's HTTP node, scripts, API gateways) can discover and call tools. Tool
 * input schemas are JSON Schema already, which 3.1 embeds unchanged.
 */
export function buildOpenApi(
  servers: ServerTools[],
  baseUrl: string | undefined,
  version: string,
): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const { server, tools } of servers) {
    for (const tool of tools) {
      const name = String(tool.name);
      paths[`/v1/tools/${encodeURIComponent(server)}/${encodeURIComponent(name)}`] = {
        post: operation(server, name, tool),
      };
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Sophia tools",
      version,
      description: "Every tool behind the Sophia MCP gateway, callable over plain HTTP.",
    },
    ...(baseUrl ? { servers: [{ url: baseUrl }] } : {}),
    paths,
    components: { schemas: { CallToolResult: CALL_RESULT, Error: ERROR } },
  };
}

function operation(server: string, name: string, tool: ListItem): Record<string, unknown> {
  const annotations = (tool.annotations ?? {}) as Record<string, unknown>;
  const description = typeof tool.description === "string" ? tool.description : undefined;
  const result = tool.outputSchema
    ? {
        ...CALL_RESULT,
        properties: { ...CALL_RESULT.properties, structuredContent: tool.outputSchema },
      }
    : { $ref: "#/components/schemas/CallToolResult" };
  return {
    operationId: `${server}__${name}`,
    summary:
      typeof annotations.title === "string"
        ? annotations.title
        : typeof tool.title === "string"
          ? tool.title
          : name,
    ...(description ? { description } : {}),
    tags: [server],
    requestBody: {
      required: true,
      content: { "application/json": { schema: tool.inputSchema ?? { type: "object" } } },
    },
    responses: {
      "200": {
        description: "The tool ran; its result",
        content: { "application/json": { schema: result } },
      },
      "422": {
        description: "The tool ran and reported an error (isError)",
        content: { "application/json": { schema: result } },
      },
      "400": {
        description: "The body is not a JSON object",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
      "404": {
        description: "No such server or tool",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
      "503": {
        description: "The server is unavailable",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
      "504": {
        description: "The tool did not answer in time",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    },
  };
}
