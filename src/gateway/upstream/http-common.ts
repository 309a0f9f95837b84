import type { Dispatcher } from "undici";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import { decodeMessage } from "./decode.ts";
import { SseParser } from "./sse-parser.ts";

export type ResponseBody = Dispatcher.ResponseData["body"];

/** Errors that mean "nothing answers at that address": the connection must be rebuilt, not one call retried. */
const CONNECT_ERRORS = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

export function isConnectError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && CONNECT_ERRORS.has(code);
}

/** An error message naming the cause without its stack, e.g. `ECONNREFUSED` or `other side closed`. */
export function causeOf(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e?.message === "string" && e.message !== "" ? e.message : String(error);
  return typeof e?.code === "string" && !message.includes(e.code)
    ? `${e.code}: ${message}`
    : message;
}

/** The address without query or credentials: query strings sometimes carry API keys. */
export function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Configured headers with lower-cased names, so ours replace theirs rather than duplicate them. */
export function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
  return lowered;
}

export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The first few hundred characters of an error body, for a message; the rest is discarded. */
export async function readSnippet(body: ResponseBody, max = 300): Promise<string> {
  let text = "";
  try {
    for await (const chunk of body) {
      text += (chunk as Buffer).toString("utf8");
      if (text.length >= max) break;
    }
  } catch {
    // The snippet is a courtesy; a broken body says nothing more.
  }
  body.destroy();
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Feeds a `text/event-stream` body to `parser` until it ends; throws what the body throws. */
export async function readEvents(body: ResponseBody, parser: SseParser): Promise<void> {
  for await (const chunk of body) parser.push(chunk as Buffer);
}

/** Wait before reconnecting when the server never sent `retry:`. */
export const DEFAULT_RETRY_MS = 1000;
/** Ceiling on a server's `retry:`, so that a wild value cannot stall a stream for hours. */
export const MAX_RETRY_MS = 30_000;

/** How long to wait before reconnecting a stream: the server's `retry:`, bounded. */
export function retryDelay(retryMs: number | undefined): number {
  return Math.min(retryMs ?? DEFAULT_RETRY_MS, MAX_RETRY_MS);
}

/**
 * An SSE parser that decodes `message` events into JSON-RPC messages and passes
 * other events on. A `message` with empty data is a priming event (MCP
 * 2025-11-25): it only carries an id to resume from, which the parser keeps.
 */
export function messageParser(
  server: string,
  onMessage: (message: JsonRpcMessage) => void,
  onError: (error: Error) => void,
  onEvent?: (event: string, data: string) => void,
): SseParser {
  return new SseParser((event) => {
    if (event.event !== "message") return onEvent?.(event.event, event.data);
    if (event.data === "") return;
    const decoded = decodeMessage(event.data);
    if (decoded instanceof Error)
      onError(new Error(`server ${server} sent an event that is ${decoded.message}`));
    else onMessage(decoded);
  });
}
