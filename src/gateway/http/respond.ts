import type { ServerResponse } from "node:http";
import type { JsonRpcErrorObject } from "../jsonrpc/messages.ts";

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** A JSON-RPC error with no request id, for failures before a message could be read. */
export function sendRpcError(
  res: ServerResponse,
  status: number,
  error: JsonRpcErrorObject,
  headers?: Record<string, string>,
): void {
  sendJson(res, status, { jsonrpc: "2.0", id: null, error }, headers);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain; charset=utf-8",
): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}
