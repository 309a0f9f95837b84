import type { Params } from "../jsonrpc/messages.ts";
import {
  CLIENT_CAPABILITIES_META_KEY,
  isLogLevel,
  type LogLevel,
  PROTOCOL_VERSION_META_KEY,
} from "./protocol.ts";

/**
 * The per-request `_meta` envelope of MCP 2026-07-28: with no `initialize`,
 * every request says which revision it speaks and what the client can do.
 */
export const CLIENT_INFO_META_KEY = "io.modelcontextprotocol/clientInfo";
export const LOG_LEVEL_META_KEY = "io.modelcontextprotocol/logLevel";
export const SERVER_INFO_META_KEY = "io.modelcontextprotocol/serverInfo";
export const SUBSCRIPTION_ID_META_KEY = "io.modelcontextprotocol/subscriptionId";

/** Wire codes the 2026-07-28 revision adds. */
export const HEADER_MISMATCH = -32020;
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;

const ENVELOPE_KEYS = [
  PROTOCOL_VERSION_META_KEY,
  CLIENT_INFO_META_KEY,
  CLIENT_CAPABILITIES_META_KEY,
  LOG_LEVEL_META_KEY,
];
/** Multi-round-trip material a client adds to a retried request; never meant for an upstream. */
const RETRY_KEYS = ["inputResponses", "requestState"];

export interface Envelope {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  clientInfo: Record<string, unknown> | undefined;
  /** Absent means the client wants no log notifications for this request. */
  logLevel: LogLevel | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function metaOf(params: Params | undefined): Record<string, unknown> | undefined {
  const meta = params?._meta;
  return isObject(meta) ? meta : undefined;
}

/** Whether a message claims a revision in its envelope (valid or not: validation comes later). */
export function hasEnvelopeClaim(params: Params | undefined): boolean {
  const meta = metaOf(params);
  return meta !== undefined && PROTOCOL_VERSION_META_KEY in meta;
}

/** Reads the envelope, or says which key is missing or malformed. */
export function readEnvelope(
  params: Params | undefined,
): { ok: true; envelope: Envelope } | { ok: false; problem: string } {
  const meta = metaOf(params);
  if (meta === undefined) return { ok: false, problem: "_meta: missing" };
  const version = meta[PROTOCOL_VERSION_META_KEY];
  if (typeof version !== "string")
    return { ok: false, problem: `${PROTOCOL_VERSION_META_KEY}: expected a string` };
  const capabilities = meta[CLIENT_CAPABILITIES_META_KEY];
  if (!isObject(capabilities))
    return { ok: false, problem: `${CLIENT_CAPABILITIES_META_KEY}: expected an object` };
  const clientInfo = meta[CLIENT_INFO_META_KEY];
  if (clientInfo !== undefined && !isObject(clientInfo))
    return { ok: false, problem: `${CLIENT_INFO_META_KEY}: expected an object` };
  const logLevel = meta[LOG_LEVEL_META_KEY];
  if (logLevel !== undefined && !isLogLevel(logLevel))
    return { ok: false, problem: `${LOG_LEVEL_META_KEY}: expected a log level` };
  return { ok: true, envelope: { protocolVersion: version, capabilities, clientInfo, logLevel } };
}

/**
 * The params an upstream (a 2025-era server) should see: the envelope keys
 * and retry material removed, `progressToken` and foreign `_meta` kept.
 */
export function stripEnvelope(params: Params | undefined): Params | undefined {
  if (params === undefined) return undefined;
  const out: Params = { ...params };
  for (const key of RETRY_KEYS) delete out[key];
  const meta = metaOf(params);
  if (meta === undefined) return out;
  const rest = { ...meta };
  for (const key of ENVELOPE_KEYS) delete rest[key];
  if (Object.keys(rest).length > 0) out._meta = rest;
  else delete out._meta;
  return out;
}
