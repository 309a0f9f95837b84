import { INVALID_PARAMS } from "../jsonrpc/codes.ts";
import {
  isNotification,
  isRequest,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
} from "../jsonrpc/messages.ts";
import {
  type Envelope,
  HEADER_MISMATCH,
  hasEnvelopeClaim,
  metaOf,
  readEnvelope,
  UNSUPPORTED_PROTOCOL_VERSION,
} from "../mcp/modern.ts";
import { isModernVersion, MODERN_VERSIONS, PROTOCOL_VERSION_META_KEY } from "../mcp/protocol.ts";

/** The standard headers of a 2026-07-28 POST (undefined when absent). */
export interface ModernHeaders {
  protocolVersion: string | undefined;
  method: string | undefined;
  name: string | undefined;
}

export type Classified =
  | { kind: "legacy" }
  | { kind: "reject"; status: number; id: JsonRpcId | null; error: JsonRpcErrorObject }
  | { kind: "request"; envelope: Envelope }
  | { kind: "notification"; version: string };

/** The body field each method's `Mcp-Name` header mirrors. */
const NAME_SOURCE: Record<string, string> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
};

/** The cheap test the legacy path pays: does a session-less POST speak the modern revision at all? */
export function claimsModern(headerVersion: string | undefined, message: JsonRpcMessage): boolean {
  return (
    isModernVersion(headerVersion?.trim()) ||
    ("method" in message && hasEnvelopeClaim(message.params))
  );
}

/**
 * Classifies a session-less POST the way the SDK v2 server does: the body's
 * envelope decides the revision, the headers must agree with it, and any
 * disagreement is a 400 naming both sides (never a silent fall back to
 * legacy handling).
 */
export function classify(headers: ModernHeaders, message: JsonRpcMessage): Classified {
  const version = headers.protocolVersion?.trim();
  const method = headers.method?.trim();
  if (isRequest(message)) {
    const id = message.id;
    const claimed = hasEnvelopeClaim(message.params);
    if (message.method === "initialize" && !validModernClaim(message.params)) {
      return isModernVersion(version)
        ? mismatch(
            id,
            `an initialize request (legacy handshake) was sent with MCP-Protocol-Version ${version}`,
          )
        : { kind: "legacy" };
    }
    if (!claimed) {
      if (!isModernVersion(version)) return { kind: "legacy" };
      return reject(
        400,
        id,
        INVALID_PARAMS,
        `MCP-Protocol-Version names ${version} but the request has no _meta["${PROTOCOL_VERSION_META_KEY}"] envelope; send the envelope with every request`,
      );
    }
    return checkRequest(version, method, headers.name, message);
  }
  if (isNotification(message))
    return classifyNotification(version, method, message.method, message.params);
  return { kind: "legacy" };
}

/** Only a valid 2026-07-28 envelope makes an `initialize` modern (it then gets method-not-found). */
function validModernClaim(params: Record<string, unknown> | undefined): boolean {
  const read = readEnvelope(params);
  return read.ok && isModernVersion(read.envelope.protocolVersion);
}

/** The ladder for an enveloped request, in the SDK's order (so its probe reads our answers right). */
function checkRequest(
  version: string | undefined,
  method: string | undefined,
  name: string | undefined,
  message: JsonRpcRequest,
): Classified {
  const id = message.id;
  const read = readEnvelope(message.params);
  if (!read.ok)
    return reject(
      400,
      id,
      INVALID_PARAMS,
      `Invalid _meta envelope for protocol revision ${MODERN_VERSIONS[0]}: ${read.problem}`,
    );
  const claim = read.envelope.protocolVersion;
  if (version !== undefined && version !== claim)
    return mismatch(
      id,
      `the body envelope names ${claim} but the MCP-Protocol-Version header names ${version}`,
    );
  if (method !== undefined && method !== message.method)
    return mismatch(
      id,
      `the body names method ${message.method} but the Mcp-Method header names ${method}`,
    );
  if (!isModernVersion(claim)) return unsupported(id, claim);
  if (version === undefined)
    return mismatch(
      id,
      `the body envelope names ${claim} but the required MCP-Protocol-Version header is absent`,
    );
  if (method === undefined)
    return mismatch(
      id,
      `the body names method ${message.method} but the required Mcp-Method header is absent`,
    );
  const nameProblem = checkName(message.method, message.params, name);
  return nameProblem ? mismatch(id, nameProblem) : { kind: "request", envelope: read.envelope };
}

function classifyNotification(
  version: string | undefined,
  method: string | undefined,
  bodyMethod: string,
  params: Record<string, unknown> | undefined,
): Classified {
  const claim = metaOf(params)?.[PROTOCOL_VERSION_META_KEY];
  if (claim === undefined && !isModernVersion(version)) return { kind: "legacy" };
  if (claim !== undefined && typeof claim !== "string")
    return reject(
      400,
      null,
      INVALID_PARAMS,
      `Invalid _meta envelope: ${PROTOCOL_VERSION_META_KEY}: expected a string`,
    );
  const named = claim ?? version!;
  if (version !== undefined && version !== named)
    return mismatch(
      null,
      `the notification envelope names ${named} but the MCP-Protocol-Version header names ${version}`,
    );
  if (method !== undefined && method !== bodyMethod)
    return mismatch(
      null,
      `the notification names method ${bodyMethod} but the Mcp-Method header names ${method}`,
    );
  return isModernVersion(named)
    ? { kind: "notification", version: named }
    : unsupported(null, named);
}

/** `Mcp-Name` must mirror `params.name` / `params.uri` on the methods that carry one. */
function checkName(
  method: string,
  params: Record<string, unknown> | undefined,
  header: string | undefined,
): string | undefined {
  const field = NAME_SOURCE[method];
  const body = field === undefined ? undefined : params?.[field];
  if (typeof body !== "string") return undefined;
  if (header === undefined)
    return `the body carries params.${field}="${body}" but the required Mcp-Name header is absent`;
  const decoded = decodeHeaderValue(header.trim());
  if (decoded === undefined) return "the Mcp-Name header carries an invalid =?base64?…?= value";
  return decoded === body
    ? undefined
    : `the body carries params.${field}="${body}" but the Mcp-Name header names "${decoded}"`;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Header values that are not plain ASCII travel as `=?base64?<utf-8 bytes>?=`. */
export function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith("=?base64?") && value.endsWith("?="))) return value;
  const payload = value.slice(9, -2);
  if (!BASE64.test(payload)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(payload, "base64"));
  } catch {
    return undefined;
  }
}

function reject(
  status: number,
  id: JsonRpcId | null,
  code: number,
  message: string,
  data?: unknown,
): Classified {
  return {
    kind: "reject",
    status,
    id,
    error: data === undefined ? { code, message } : { code, message, data },
  };
}

function mismatch(id: JsonRpcId | null, detail: string): Classified {
  return reject(
    400,
    id,
    HEADER_MISMATCH,
    `Bad Request: the request headers and body disagree: ${detail}`,
  );
}

function unsupported(id: JsonRpcId | null, requested: string): Classified {
  return reject(
    400,
    id,
    UNSUPPORTED_PROTOCOL_VERSION,
    `Unsupported protocol version: ${requested} (this endpoint serves ${MODERN_VERSIONS.join(", ")} per request, and 2024-11-05 … 2025-11-25 through initialize)`,
    {
      supported: [...MODERN_VERSIONS],
      requested,
    },
  );
}
