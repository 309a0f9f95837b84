import type { JsonRpcMessage } from "../jsonrpc/messages.ts";

/**
 * Somewhere messages to one client can be written: the SSE stream of a POST,
 * the standalone GET stream, or stdout for the stdio transport.
 */
export interface MessageSink {
  readonly open: boolean;
  send(message: JsonRpcMessage): void;
}

/** A sink that is never open: for clients without a stream to receive on. */
export const CLOSED_SINK: MessageSink = { open: false, send() {} };
