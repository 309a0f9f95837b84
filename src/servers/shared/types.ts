/**
 * What a built-in server looks like to the wiring layer. The gateway declares
 * the same shapes on its side (upstream/builtin-transport.ts); neither part
 * imports the other, the CLI hands one to the other.
 */
import type { Logger } from "../../shared/logger.ts";

/** The in-memory end a server speaks MCP through; the gateway holds the other end. */
export interface PeerEnd {
  send(message: object, options?: { relatedRequestId?: string | number }): Promise<void>;
  close(): Promise<void>;
  onmessage?(message: object): void;
  onclose?(): void;
}

/** The configured entry that selected a built-in server. */
export interface ServerSpec {
  name: string;
  options: Record<string, unknown>;
  logger: Logger;
}

/** Serves one connection; the returned function ends it and frees what it holds. */
export type Connect = (peer: PeerEnd) => Promise<() => Promise<void>>;

export interface BuiltinDefinition {
  /** Validates the entry's options (throws CONFIG_INVALID) and returns how to serve it. */
  prepare(spec: ServerSpec): Connect;
}
