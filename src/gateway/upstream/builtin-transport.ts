/**
 * In-process transport to a built-in server (knowledge, sql, workflows): the
 * gateway speaks MCP to it through a pair of in-memory ends, no socket and no
 * child process. The gateway never imports the servers; the CLI hands it a
 * registry of `BuiltinServer`s shaped by the interfaces below.
 */
import type { Logger } from "../../shared/logger.ts";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import type { UpstreamTransport } from "./types.ts";

/** The server's end of the pair; shaped like the MCP SDK's `Transport`, so an `McpServer` connects to it. */
export interface BuiltinPeer {
  start(): Promise<void>;
  send(message: JsonRpcMessage, options?: { relatedRequestId?: string | number }): Promise<void>;
  close(): Promise<void>;
  onmessage?: ((message: JsonRpcMessage) => void) | undefined;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
}

/** What a built-in server is told about the entry that selected it. */
export interface BuiltinSpec {
  /** The server's key under `servers:`. */
  name: string;
  /** The entry's `options:` map (empty when absent); the server validates it. */
  options: Record<string, unknown>;
  logger: Logger;
}

/** Serves one connection on `peer`; the returned function ends it and frees what it holds. */
export type BuiltinConnect = (peer: BuiltinPeer) => Promise<() => Promise<void>>;

/**
 * A built-in server. `prepare` runs when the gateway creates the upstream and
 * throws (CONFIG_INVALID) for bad options, so a bad entry fails at start.
 */
export interface BuiltinServer {
  prepare(spec: BuiltinSpec): BuiltinConnect;
}

export type BuiltinRegistry = Readonly<Record<string, BuiltinServer>>;

/** Copies a message across the pair, as a wire would: neither side sees the other's objects. */
function copy(message: JsonRpcMessage): JsonRpcMessage {
  return structuredClone(message);
}

export class BuiltinTransport implements UpstreamTransport {
  onmessage?: (message: JsonRpcMessage, relatedRequestId?: string | number) => void;
  onclose?: (error?: Error) => void;
  onerror?: (error: Error) => void;
  readonly #connect: BuiltinConnect;
  #peer: BuiltinPeer | undefined;
  #disconnect: (() => Promise<void>) | undefined;
  #closed = false;
  #peerClosed = false;

  constructor(connect: BuiltinConnect) {
    this.#connect = connect;
  }

  async start(): Promise<void> {
    const peer: BuiltinPeer = {
      start: async () => {},
      send: async (message, options) => {
        if (this.#closed) return;
        const delivered = copy(message);
        // Asynchronous like a socket: the server's send returns before the gateway reacts.
        queueMicrotask(() => this.onmessage?.(delivered, options?.relatedRequestId));
      },
      // The server hung up: tell it once, then end the gateway's side too.
      close: async () => {
        this.#notifyPeer();
        await this.close();
      },
    };
    this.#peer = peer;
    this.#disconnect = await this.#connect(peer);
  }

  async send(message: JsonRpcMessage): Promise<void> {
    const peer = this.#peer;
    if (this.#closed || peer === undefined) throw new Error("built-in server connection is closed");
    const delivered = copy(message);
    queueMicrotask(() => peer.onmessage?.(delivered));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const disconnect = this.#disconnect;
    this.#disconnect = undefined;
    try {
      await disconnect?.();
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
    this.#notifyPeer();
    this.onclose?.();
  }

  #notifyPeer(): void {
    if (this.#peerClosed) return;
    this.#peerClosed = true;
    this.#peer?.onclose?.();
  }
}
