/** Runs an SDK `McpServer` on a `PeerEnd`: the adapter between our shapes and the SDK's `Transport`. */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Connect, PeerEnd } from "./types.ts";

export function sdkTransport(peer: PeerEnd): Transport {
  const transport: Transport = {
    start: async () => {},
    send: (message, options) =>
      peer.send(
        message,
        options?.relatedRequestId === undefined
          ? undefined
          : { relatedRequestId: options.relatedRequestId },
      ),
    close: () => peer.close(),
  };
  peer.onmessage = (message) => transport.onmessage?.(message as JSONRPCMessage);
  peer.onclose = () => transport.onclose?.();
  return transport;
}

/**
 * A `Connect` that builds a fresh server per connection (an McpServer serves
 * one transport) and calls `release` once the connection ends.
 */
export function serveMcp(build: () => McpServer, release?: () => Promise<void>): Connect {
  return async (peer) => {
    const server = build();
    await server.connect(sdkTransport(peer));
    return async () => {
      await server.close();
      await release?.();
    };
  };
}
