import type { ServerResponse } from "node:http";
import type { Catalog } from "../catalog/catalog.ts";
import { INTERNAL_ERROR, INVALID_PARAMS } from "../jsonrpc/codes.ts";
import type { JsonRpcRequest } from "../jsonrpc/messages.ts";
import type { Dispatcher } from "../mcp/dispatcher.ts";
import { honoredFilter, type Listener, type ListenHub, parseFilter } from "../mcp/listen-hub.ts";
import { SERVER_INFO_META_KEY, SUBSCRIPTION_ID_META_KEY } from "../mcp/modern.ts";
import type { Session } from "../session/session.ts";
import { sendJson } from "./respond.ts";
import { SseStream } from "./sse.ts";

/** Refuse new listen streams past this many open ones (each holds a socket). */
const MAX_LISTENERS = 1024;

export interface ListenDeps {
  dispatcher: Dispatcher;
  catalog: Catalog;
  hub: ListenHub;
}

/**
 * Serves `subscriptions/listen`: an SSE stream that opens with
 * `notifications/subscriptions/acknowledged` (the honored part of the filter)
 * and then carries the notifications the filter asks for until the client
 * closes it. Resource subscriptions are made upstream (shared, reference
 * counted) for as long as the stream is open.
 */
export async function serveListen(
  res: ServerResponse,
  request: JsonRpcRequest,
  session: Session,
  description: {
    capabilities: Record<string, unknown>;
    serverInfo: Record<string, unknown> | undefined;
  },
  deps: ListenDeps,
): Promise<void> {
  const filter = parseFilter(request.params?.notifications);
  if (!filter)
    return fail(
      res,
      request,
      INVALID_PARAMS,
      "Invalid params: subscriptions/listen needs params.notifications, a SubscriptionFilter",
    );
  if (deps.hub.size >= MAX_LISTENERS)
    return fail(
      res,
      request,
      INTERNAL_ERROR,
      `Subscription limit reached (${MAX_LISTENERS} open listen streams)`,
    );
  const honored = honoredFilter(filter, description.capabilities);
  if (honored.resourceSubscriptions) {
    const held = await subscribe(session, honored.resourceSubscriptions, deps);
    if (held.length > 0) honored.resourceSubscriptions = held;
    else delete honored.resourceSubscriptions;
  }
  if (res.destroyed) return deps.dispatcher.closeSession(session);
  const stream = new SseStream(res, {});
  const listener: Listener = { id: request.id, session, filter: honored, stream };
  const stamp = { [SUBSCRIPTION_ID_META_KEY]: request.id };
  stream.send({
    jsonrpc: "2.0",
    method: "notifications/subscriptions/acknowledged",
    params: { notifications: honored, _meta: stamp },
  });
  if (Object.keys(honored).length === 0) {
    // Nothing the gateway could deliver: end at once, gracefully, as the revision says.
    stream.send({
      jsonrpc: "2.0",
      id: request.id,
      result: {
        resultType: "complete",
        _meta: { ...stamp, [SERVER_INFO_META_KEY]: description.serverInfo },
      },
    });
    stream.close();
    return deps.dispatcher.closeSession(session);
  }
  deps.hub.add(listener);
  res.on("close", () => {
    deps.hub.remove(listener);
    deps.dispatcher.closeSession(session);
  });
}

/** Subscribes upstream to each URI the client named; returns those that took. */
async function subscribe(session: Session, uris: string[], deps: ListenDeps): Promise<string[]> {
  const held: string[] = [];
  for (const uri of uris) {
    const upstream =
      session.scope.kind === "server" ? session.scope.upstream : await resolve(deps.catalog, uri);
    if (!upstream) continue;
    const outcome = await deps.dispatcher.forwarder.subscription(
      session,
      upstream,
      "resources/subscribe",
      uri,
    );
    if ("result" in outcome) held.push(uri);
  }
  return held;
}

async function resolve(catalog: Catalog, uri: string) {
  const known = catalog.resolveResource(uri);
  if (known) return known;
  await Promise.all([catalog.ensure("resources"), catalog.ensure("resourceTemplates")]);
  return catalog.resolveResource(uri);
}

function fail(res: ServerResponse, request: JsonRpcRequest, code: number, message: string): void {
  sendJson(res, 200, { jsonrpc: "2.0", id: request.id, error: { code, message } });
}
