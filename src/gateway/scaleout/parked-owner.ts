import { INVALID_PARAMS } from "../jsonrpc/codes.ts";
import type { JsonRpcErrorObject, JsonRpcMessage } from "../jsonrpc/messages.ts";

/**
 * A 2026-07-28 call waiting for `inputResponses` holds an open upstream call
 * (the upstream is blocked inside its sampling/elicitation request), so only
 * the instance that parked it can resume it; re-issuing the call elsewhere
 * would run the tool twice. The `requestState` names that instance, so a
 * retry reaching another one gets an error that says so instead of a vague
 * "unknown state".
 */
export function parkedStatePrefix(instance: string): string {
  return `sophia-${instance}.`;
}

const OWNED = /^sophia-([0-9a-f]{12})\./;

/** The instance that parked the call this retry resumes, when it is not `instance`. */
export function foreignOwner(message: JsonRpcMessage, instance: string): string | undefined {
  if (!("method" in message) || !("id" in message)) return undefined;
  const state = message.params?.requestState;
  const owner = typeof state === "string" ? OWNED.exec(state)?.[1] : undefined;
  return owner !== undefined && owner !== instance ? owner : undefined;
}

export function foreignStateError(owner: string, instance: string): JsonRpcErrorObject {
  return {
    code: INVALID_PARAMS,
    message:
      `Invalid params: requestState belongs to a call waiting on gateway instance ${owner}, ` +
      `and this is instance ${instance}; a call waiting for input can only be resumed where its ` +
      "upstream call is open. Send the retry to the same instance (see docs/scale-out.md), " +
      "or send the request again without requestState and inputResponses",
    data: { owner, instance },
  };
}

/** A client's `notifications/cancelled` for a request not running here: it may run on another instance. */
export function cancelsElsewhere(message: JsonRpcMessage, running: ReadonlyMap<unknown, unknown>) {
  if (!("method" in message) || "id" in message) return false;
  if (message.method !== "notifications/cancelled") return false;
  const requestId = message.params?.requestId;
  return (
    (typeof requestId === "string" || typeof requestId === "number") && !running.has(requestId)
  );
}
