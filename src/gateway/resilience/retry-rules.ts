import { isSophiaError, SophiaError } from "../../shared/errors.ts";
import type { Params } from "../jsonrpc/messages.ts";

/** Requests that only read, by the protocol's definition: safe to send twice. */
const READ_ONLY_METHODS = new Set([
  "ping",
  "tools/list",
  "prompts/list",
  "prompts/get",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "completion/complete",
]);

/** A tool's annotations, looked up by its upstream-side name. */
export type AnnotationsOf = (tool: string) => Readonly<Record<string, unknown>> | undefined;

/**
 * Whether a call that failed after it was sent may be sent again: read-only
 * requests, and tools the server annotated `readOnlyHint` or `idempotentHint`.
 * Anything else may have had an effect and is never repeated.
 */
export function safeToRepeat(
  method: string,
  params: Params | undefined,
  annotationsOf: AnnotationsOf | undefined,
): boolean {
  if (method !== "tools/call") return READ_ONLY_METHODS.has(method);
  const name = params?.name;
  if (typeof name !== "string" || annotationsOf === undefined) return false;
  const annotations = annotationsOf(name);
  return annotations?.readOnlyHint === true || annotations?.idempotentHint === true;
}

/**
 * Whether an error says the server is unwell (transport lost, no answer in
 * time, garbage). A cancelled call or a full local queue says nothing about
 * it; a JSON-RPC error or an `isError` result is an answer, not a failure.
 */
export function isServerFailure(error: unknown): boolean {
  return (
    isSophiaError(error) &&
    (error.code === "UPSTREAM_UNAVAILABLE" ||
      error.code === "UPSTREAM_TIMEOUT" ||
      error.code === "UPSTREAM_PROTOCOL")
  );
}

/** Full jitter over a doubling ceiling: spreads the retries of many callers apart. */
export function retryDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(random() * ceiling);
}

/** The tool error a caller sees while every replica's circuit is open. */
export function circuitOpen(
  server: string,
  retryInMs: number,
  state?: string,
  lastError?: string,
): SophiaError {
  const seconds = Math.max(1, Math.ceil(retryInMs / 1000));
  const now = state === undefined || state === "ready" ? "" : `; it is ${state}`;
  const last = lastError === undefined ? "" : `, last error: ${lastError}`;
  return new SophiaError(
    "UPSTREAM_UNAVAILABLE",
    `server ${server} is unavailable (circuit open, retry in ${seconds}s)${now}${last}`,
    {
      hint: `recent calls to ${server} failed or timed out; the gateway lets a probe call through after the cool-down`,
    },
  );
}
