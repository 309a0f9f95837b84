import { INVALID_PARAMS, RESOURCE_NOT_FOUND } from "../jsonrpc/codes.ts";
import type { JsonRpcErrorObject, JsonRpcId, JsonRpcResponse } from "../jsonrpc/messages.ts";
import { SERVER_INFO_META_KEY } from "./modern.ts";
import { MODERN_VERSIONS } from "./protocol.ts";

/**
 * Results the client may cache (2026-07-28 `CacheableResult`). The gateway
 * cannot know how fresh an upstream's answer stays (2025-era servers give no
 * hint), so it says "stale at once, for this client only": clients re-ask,
 * exactly as they did before the revision, and never share an answer across
 * principals. A result that already carries valid hints keeps them.
 */
const CACHEABLE = new Set([
  "tools/list",
  "prompts/list",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "server/discover",
]);
export const DEFAULT_TTL_MS = 0;
export const DEFAULT_CACHE_SCOPE = "private";

/** Methods whose result may be `input_required` (multi-round-trip requests). */
export const INPUT_METHODS: ReadonlySet<string> = new Set([
  "tools/call",
  "prompts/get",
  "resources/read",
]);

/** Server capabilities the revision defines; others (such as 2025-11-25 `tasks`) are dropped. */
const MODERN_CAPABILITIES = [
  "experimental",
  "logging",
  "completions",
  "prompts",
  "resources",
  "tools",
  "extensions",
];

/**
 * Turns a 2025-era result into its 2026-07-28 shape: `resultType`, cache
 * hints on cacheable methods, the server's identity in `_meta`, and without
 * vocabulary the revision deleted (tool `execution`).
 */
export function encodeResult(
  method: string,
  result: Record<string, unknown>,
  serverInfo: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...result };
  if (out.resultType === undefined) out.resultType = "complete";
  if (out.resultType === "complete" && CACHEABLE.has(method)) {
    if (!isTtl(out.ttlMs)) out.ttlMs = DEFAULT_TTL_MS;
    if (out.cacheScope !== "public" && out.cacheScope !== "private")
      out.cacheScope = DEFAULT_CACHE_SCOPE;
  }
  if (method === "tools/list" && Array.isArray(out.tools))
    out.tools = out.tools.map(withoutExecution);
  const meta = out._meta;
  if (serverInfo !== undefined && (meta === undefined || isObject(meta))) {
    out._meta = {
      [SERVER_INFO_META_KEY]: serverInfo,
      ...(meta as Record<string, unknown> | undefined),
    };
  }
  return out;
}

/** The revision answers a missing resource with invalid-params (data `{ uri }`), no longer -32002. */
export function encodeError(error: JsonRpcErrorObject): JsonRpcErrorObject {
  return error.code === RESOURCE_NOT_FOUND ? { ...error, code: INVALID_PARAMS } : error;
}

/** The `server/discover` result, from what `initialize` would have said (minus the version). */
export function discoverResult(description: Record<string, unknown>): Record<string, unknown> {
  const capabilities = isObject(description.capabilities) ? description.capabilities : {};
  return {
    supportedVersions: [...MODERN_VERSIONS],
    capabilities: Object.fromEntries(
      Object.entries(capabilities).filter(([key]) => MODERN_CAPABILITIES.includes(key)),
    ),
    ...(typeof description.instructions === "string"
      ? { instructions: description.instructions }
      : {}),
  };
}

function isTtl(value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withoutExecution(tool: unknown): unknown {
  if (!isObject(tool) || !("execution" in tool)) return tool;
  const { execution: _execution, ...rest } = tool;
  return rest;
}

/** A dispatcher response in the revision's shape, under the id of the exchange it answers. */
export function encodeResponse(
  method: string,
  response: JsonRpcResponse,
  id: JsonRpcId,
  serverInfo: Record<string, unknown> | undefined,
): JsonRpcResponse {
  if ("error" in response) return { jsonrpc: "2.0", id, error: encodeError(response.error) };
  return { jsonrpc: "2.0", id, result: encodeResult(method, response.result, serverInfo) };
}
