import { type JsonRpcMessage, validateMessage } from "../jsonrpc/messages.ts";

/** Parses one JSON text into a JSON-RPC message, or says why it is not one. */
export function decodeMessage(text: string): JsonRpcMessage | Error {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new Error(`not JSON (${(error as Error).message}): ${preview(text)}`);
  }
  const checked = validateMessage(value);
  return checked.ok
    ? checked.message
    : new Error(`not a JSON-RPC message (${checked.reason}): ${preview(text)}`);
}

/** Start of an unexpected text, for an error message that stays one readable line. */
export function preview(text: string, max = 120): string {
  const flat = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(flat);
}
