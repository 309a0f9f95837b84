import { SophiaError } from "../../shared/errors.ts";
import type { PendingCall } from "./pending-call.ts";

/** The connection ended (or was never usable) while `call` was waiting; `stopped` when we ended it. */
export function lostCall(
  server: string,
  reason: string,
  call: PendingCall,
  sent: boolean,
  stopped = false,
): SophiaError {
  const when = sent
    ? `while ${call.describe()} was in flight`
    : `before ${call.describe()} could be sent`;
  return new SophiaError("UPSTREAM_UNAVAILABLE", `server ${server} ${reason} ${when}`, {
    hint: stopped ? undefined : "the gateway restarts the server; retry the call",
  });
}

export function timedOut(server: string, call: PendingCall, sent: boolean): SophiaError {
  const where = sent
    ? "did not answer"
    : "waited in the queue (maxConcurrency reached) and was not sent";
  return new SophiaError(
    "UPSTREAM_TIMEOUT",
    `server ${server}: ${call.describe()} ${where} within ${call.timeoutMs} ms`,
    { hint: `raise timeoutMs for server ${server} or make the call lighter` },
  );
}

export function overloaded(server: string, method: string, queued: number): SophiaError {
  return new SophiaError(
    "UPSTREAM_OVERLOADED",
    `server ${server}: ${method} refused, ${queued} calls are already queued`,
    { hint: `raise maxConcurrency (or pool) for server ${server}, or slow the callers down` },
  );
}

/**
 * The caller aborted. The error is an `AbortError` (as fetch and Node streams
 * throw), carrying the signal's reason as its cause.
 */
export function cancelled(server: string, call: PendingCall, signal: AbortSignal): Error {
  const error = new Error(`server ${server}: ${call.describe()} was cancelled by the caller`, {
    cause: signal.reason,
  });
  error.name = "AbortError";
  return error;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
