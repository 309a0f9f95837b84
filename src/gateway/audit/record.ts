import { POLICY_DENIED } from "../auth/wire.ts";
import { RATE_LIMITED } from "../limits/wire.ts";
import type { CallOutcome } from "../upstream/types.ts";

export type AuditOutcome = "ok" | "tool_error" | "error" | "denied" | "rate_limited";

/** One line of the audit log / one row of sophia_audit. */
export interface AuditRecord {
  time: string;
  requestId: string | undefined;
  subject: string;
  method: string;
  keyId: string | undefined;
  server: string;
  kind: string;
  /** The upstream-side name (tool, prompt, or resource URI). */
  name: string;
  outcome: AuditOutcome;
  latencyMs: number;
  /** JSON-RPC error code or the gateway's error code for a failed call. */
  error: string | undefined;
  arguments: unknown;
}

/**
 * Outcome classes: a tool that answered isError is `tool_error`; a call the
 * gateway could not complete (unreachable, timeout: isError carrying
 * `io.sophia/error`, or a JSON-RPC error) is `error`.
 */
const OK: { outcome: AuditOutcome; error?: string } = Object.freeze({ outcome: "ok" });

export function classify(outcome: CallOutcome): { outcome: AuditOutcome; error?: string } {
  if ("error" in outcome) {
    const code = outcome.error.code;
    if (code === POLICY_DENIED) return { outcome: "denied", error: String(code) };
    if (code === RATE_LIMITED) return { outcome: "rate_limited", error: String(code) };
    return { outcome: "error", error: String(code) };
  }
  if (outcome.result.isError !== true) return OK;
  const meta = outcome.result._meta as Record<string, unknown> | undefined;
  const code = meta?.["io.sophia/error"];
  return typeof code === "string" ? { outcome: "error", error: code } : { outcome: "tool_error" };
}
