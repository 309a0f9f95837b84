/** JSON-RPC 2.0 message shapes as MCP uses them (no batching since 2025-06-18). */
export type JsonRpcId = string | number;
export type Params = Record<string, unknown>;

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: JsonRpcId;
  method: string;
  params?: Params;
}

export interface JsonRpcNotification {
  jsonrpc: "2.0";
  method: string;
  params?: Params;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcSuccess {
  jsonrpc: "2.0";
  id: JsonRpcId;
  result: Record<string, unknown>;
}

export interface JsonRpcFailure {
  jsonrpc: "2.0";
  id: JsonRpcId | null;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcSuccess | JsonRpcFailure;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

export function isRequest(m: JsonRpcMessage): m is JsonRpcRequest {
  return "method" in m && "id" in m && m.id !== undefined && m.id !== null;
}

export function isNotification(m: JsonRpcMessage): m is JsonRpcNotification {
  return "method" in m && !("id" in m && m.id !== undefined && m.id !== null);
}

export function isResponse(m: JsonRpcMessage): m is JsonRpcResponse {
  return !("method" in m) && ("result" in m || "error" in m);
}

/** Structural check of one decoded value; returns a reason when it is not a JSON-RPC message. */
export function validateMessage(
  value: unknown,
): { ok: true; message: JsonRpcMessage } | { ok: false; reason: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "expected a JSON object" };
  }
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== "2.0") return { ok: false, reason: 'expected "jsonrpc": "2.0"' };
  if ("method" in m) {
    if (typeof m.method !== "string") return { ok: false, reason: '"method" must be a string' };
    if (
      "params" in m &&
      m.params !== undefined &&
      (typeof m.params !== "object" || m.params === null)
    ) {
      return { ok: false, reason: '"params" must be an object' };
    }
  } else if (!("result" in m) && !("error" in m)) {
    return { ok: false, reason: 'expected "method", "result" or "error"' };
  }
  if ("id" in m && m.id !== null && typeof m.id !== "string" && typeof m.id !== "number") {
    return { ok: false, reason: '"id" must be a string or a number' };
  }
  return { ok: true, message: value as JsonRpcMessage };
}
