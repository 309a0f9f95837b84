import { z } from "zod";
import { isLogLevel, type LogLevel } from "../mcp/protocol.ts";
import type { Session } from "./session.ts";

/**
 * What a 2025-era session negotiated and changed since, as kept in a shared
 * store so any gateway instance can rebuild it: everything but live things
 * (streams, calls in flight, relayed requests), which stay on one instance.
 */
export interface SharedState {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  clientInfo: Record<string, unknown> | undefined;
  /** `null` for `/mcp`, else the server of `/servers/<name>/mcp`. */
  server: string | null;
  /** Who opened the session; a rebuilt session serves only the same caller. */
  caller: { method: string; subject: string };
  logLevel: LogLevel | undefined;
  subscriptions: string[];
}

const stateSchema = z.object({
  protocolVersion: z.string(),
  capabilities: z.record(z.string(), z.unknown()),
  clientInfo: z.record(z.string(), z.unknown()).optional(),
  server: z.string().nullable(),
  caller: z.object({ method: z.string(), subject: z.string() }),
  logLevel: z.string().optional(),
  subscriptions: z.array(z.string()),
});

export function snapshot(session: Session): SharedState {
  return {
    protocolVersion: session.client.protocolVersion,
    capabilities: session.client.capabilities,
    clientInfo: session.client.clientInfo,
    server: session.scope.kind === "server" ? session.scope.upstream.name : null,
    caller: { method: session.principal.method, subject: session.principal.subject },
    logLevel: session.logLevel,
    subscriptions: [...session.subscriptions].sort(),
  };
}

export function encodeState(state: SharedState): string {
  return JSON.stringify(state);
}

/** The stored text as state; undefined when it is not ours (another version, corrupted). */
export function decodeState(text: string): SharedState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = stateSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { logLevel, clientInfo, ...rest } = parsed.data;
  return { ...rest, clientInfo, logLevel: isLogLevel(logLevel) ? logLevel : undefined };
}

/** What must change on a local copy to match the shared state (only the parts a session can change). */
export interface StateChanges {
  logLevel: LogLevel | undefined;
  subscribe: string[];
  unsubscribe: string[];
}

export function changesFor(session: Session, state: SharedState): StateChanges {
  const wanted = new Set(state.subscriptions);
  return {
    logLevel: state.logLevel !== session.logLevel ? state.logLevel : undefined,
    subscribe: state.subscriptions.filter((uri) => !session.subscriptions.has(uri)),
    unsubscribe: [...session.subscriptions].filter((uri) => !wanted.has(uri)),
  };
}

/** Methods whose success changes shared state: the store is written after them. */
export const STATE_CHANGING = new Set([
  "logging/setLevel",
  "resources/subscribe",
  "resources/unsubscribe",
]);
