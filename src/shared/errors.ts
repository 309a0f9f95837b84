/**
 * Local (non-wire) errors. Each carries a stable string code so callers and
 * tests branch on the code, never on the message. Wire errors (JSON-RPC codes)
 * live in gateway/jsonrpc and are mapped at the edge.
 */
export type ErrorCode =
  | "CONFIG_NOT_FOUND"
  | "CONFIG_INVALID"
  | "CONFIG_ENV_MISSING"
  | "USAGE"
  | "LISTEN_FAILED"
  | "UPSTREAM_UNAVAILABLE"
  | "UPSTREAM_TIMEOUT"
  | "UPSTREAM_PROTOCOL"
  | "UPSTREAM_OVERLOADED"
  // flow
  | "FLOW_SOURCE_NOT_READY"
  | "FLOW_SLOT_INVALIDATED"
  | "FLOW_SLOT_IN_USE"
  | "FLOW_SINK_FAILED"
  | "FLOW_EMBED_FAILED"
  | "FLOW_TRANSFORM_FAILED"
  | "FLOW_STATE"
  | "FLOW_PROTOCOL"
  // stack and lint
  | "STACK_DRIFT"
  | "STACK_CONFLICT"
  | "LINT_FAILED"
  | "LINT_INPUT_INVALID"
  // gateway security and administration
  | "AUTH_INVALID"
  | "KEY_NOT_FOUND"
  | "SECRETS_UNAVAILABLE"
  | "NOT_FOUND"
  // gateway traffic (limits, cache, audit, pinning)
  | "REDIS_UNAVAILABLE"
  | "AUDIT_FAILED"
  // built-in servers (knowledge, sql, workflows)
  | "BUILTIN_REFUSED"
  | "BUILTIN_FAILED"
  // the embedded PostgreSQL (PGlite) shared by the knowledge server and pgvector sinks
  | "EMBEDDED_DB_FAILED"
  | "INTERNAL";

export class SophiaError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SophiaError";
    this.code = code;
    this.hint = options?.hint;
  }
}

export function isSophiaError(value: unknown, code?: ErrorCode): value is SophiaError {
  return value instanceof SophiaError && (code === undefined || value.code === code);
}

export function errorMessage(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
