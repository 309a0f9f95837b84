import type { ListKind } from "../catalog/list-kinds.ts";
import type { JsonRpcNotification } from "../jsonrpc/messages.ts";
import type { Session } from "../session/session.ts";
import type { Upstream } from "../upstream/types.ts";
import { logPasses } from "./protocol.ts";

/**
 * Delivers a notification an upstream sent outside any call to the clients it
 * concerns: resource updates to subscribers only, log lines past each
 * session's threshold, everything else to that server's pass-through clients.
 * List changes reach `/mcp` clients through the catalog, after the refresh.
 */
export function fanOut(
  upstream: Upstream,
  notification: JsonRpcNotification,
  sessions: Iterable<Session>,
): void {
  const { method, params } = notification;
  for (const session of sessions) {
    if (!session.sees(upstream.name)) continue;
    if (method === "notifications/resources/updated") {
      if (typeof params?.uri === "string" && session.subscriptions.has(params.uri))
        session.sendUnscoped(notification);
    } else if (method === "notifications/message") {
      if (logPasses(params?.level, session.logLevel)) session.sendUnscoped(notification);
    } else if (session.scope.kind === "server") {
      session.sendUnscoped(notification);
    }
  }
}

const CHANGED: Record<ListKind, string> = {
  tools: "notifications/tools/list_changed",
  prompts: "notifications/prompts/list_changed",
  resources: "notifications/resources/list_changed",
  resourceTemplates: "notifications/resources/list_changed",
};

/** Tells `/mcp` clients that the aggregated list of `kind` changed. */
export function announceListChanged(kind: ListKind, sessions: Iterable<Session>): void {
  const notification: JsonRpcNotification = { jsonrpc: "2.0", method: CHANGED[kind] };
  for (const session of sessions) {
    if (session.scope.kind === "aggregate") session.sendUnscoped(notification);
  }
}
