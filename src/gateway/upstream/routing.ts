import { INTERNAL_ERROR } from "../jsonrpc/codes.ts";
import type {
  JsonRpcErrorObject,
  JsonRpcNotification,
  JsonRpcRequest,
} from "../jsonrpc/messages.ts";
import type { InteractiveCalls } from "./interactive-calls.ts";
import { asCallId, type PendingCall } from "./pending-call.ts";
import { restoreProgressToken } from "./progress-token.ts";

/** Notifications about the server as a whole: never scoped to the call that happened to trigger them. */
const SERVER_WIDE = new Set([
  "notifications/tools/list_changed",
  "notifications/prompts/list_changed",
  "notifications/resources/list_changed",
  "notifications/resources/updated",
]);

/** The in-flight call an id (ours, possibly echoed as a string) names. */
export function callById(pending: Map<number, PendingCall>, id: unknown): PendingCall | undefined {
  const key = asCallId(id);
  return key === undefined ? undefined : pending.get(key);
}

/** Where a server request goes: a call, or several candidates when the wire does not say which. */
export type ServerRequestTarget = { call: PendingCall | undefined } | { ambiguous: PendingCall[] };

/**
 * The call a server request belongs to: the one the transport related it to,
 * else (stdio, legacy SSE: no relation on the wire) the only in-flight call
 * that can answer server requests. With several candidates the request is
 * ambiguous and must not be guessed: answers would reach the wrong client.
 */
export function callForServerRequest(
  pending: Map<number, PendingCall>,
  related: string | number | undefined,
): ServerRequestTarget {
  if (related !== undefined) return { call: callById(pending, related) };
  const candidates: PendingCall[] = [];
  for (const call of pending.values()) {
    if (call.context?.onServerRequest !== undefined) candidates.push(call);
  }
  return candidates.length > 1 ? { ambiguous: candidates } : { call: candidates[0] };
}

/**
 * Attributes a server request to a call, learning calls that ask questions
 * over a transport that cannot say which call asked: those will run alone.
 */
export function attributeServerRequest(
  pending: Map<number, PendingCall>,
  related: string | number | undefined,
  request: JsonRpcRequest,
  interactive: InteractiveCalls,
): { call: PendingCall | undefined } | { learned: string[] } {
  const target = callForServerRequest(pending, related);
  if ("ambiguous" in target) return { learned: interactive.learn(target.ambiguous) };
  if (related === undefined && target.call !== undefined && request.method !== "ping") {
    interactive.learn([target.call]);
  }
  return target;
}

export function ambiguousRequest(server: string, method: string): JsonRpcErrorObject {
  return {
    code: INTERNAL_ERROR,
    message: `the gateway cannot tell which client ${method} from server ${server} is for (several calls were in flight); retry the call`,
  };
}

/**
 * Delivers a notification (other than `notifications/cancelled`) to the call
 * it belongs to: progress by our token, with the caller's token restored;
 * others by the transport's relation. What belongs to no call, or is about
 * the whole server, goes to `unrouted`.
 */
export function routeNotification(
  pending: Map<number, PendingCall>,
  notification: JsonRpcNotification,
  related: string | number | undefined,
  unrouted: ((notification: JsonRpcNotification) => void) | undefined,
): void {
  const method = notification.method;
  if (method === "notifications/progress") {
    const call = callById(pending, notification.params?.progressToken);
    // Not ours (a stale or foreign token): no caller asked for it.
    if (call?.callerToken === undefined) return;
    call.context?.onNotification?.(restoreProgressToken(notification, call.callerToken));
    return;
  }
  const call =
    related === undefined || SERVER_WIDE.has(method) ? undefined : callById(pending, related);
  if (call?.context?.onNotification !== undefined) call.context.onNotification(notification);
  else unrouted?.(notification);
}
