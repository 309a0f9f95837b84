import type { Catalog } from "../catalog/catalog.ts";
import type { ListKind } from "../catalog/list-kinds.ts";
import type { JsonRpcId, JsonRpcMessage, JsonRpcNotification } from "../jsonrpc/messages.ts";
import type { Scope, Session } from "../session/session.ts";
import type { Upstream } from "../upstream/types.ts";
import { SERVER_INFO_META_KEY, SUBSCRIPTION_ID_META_KEY } from "./modern.ts";

/** What a `subscriptions/listen` request asks to hear (2026-07-28 `SubscriptionFilter`). */
export interface ListenFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

/** One open listen stream: its request id names the subscription in every notification. */
export interface Listener {
  id: JsonRpcId;
  /** Carries the scope and the upstream resource subscriptions this stream holds. */
  session: Session;
  filter: ListenFilter;
  stream: { send(message: JsonRpcMessage): void; close(): void };
}

const FLAG: Record<string, keyof ListenFilter> = {
  "notifications/tools/list_changed": "toolsListChanged",
  "notifications/prompts/list_changed": "promptsListChanged",
  "notifications/resources/list_changed": "resourcesListChanged",
};

const KIND_METHOD: Record<ListKind, string> = {
  tools: "notifications/tools/list_changed",
  prompts: "notifications/prompts/list_changed",
  resources: "notifications/resources/list_changed",
  resourceTemplates: "notifications/resources/list_changed",
};

/**
 * The modern replacement of the GET stream: delivers list changes and
 * resource updates to the listen streams whose filter asks for them, each
 * stamped with its subscription id. `/mcp` streams hear list changes once the
 * catalog has refreshed; `/servers/<name>/mcp` streams hear that server's own.
 */
export class ListenHub {
  readonly #listeners = new Set<Listener>();
  readonly #unsubscribe: Array<() => void> = [];

  constructor(catalog: Catalog, upstreams: Iterable<Upstream>) {
    this.#unsubscribe.push(
      catalog.onChange((kind) =>
        this.#deliver(KIND_METHOD[kind], undefined, (l) => l.session.scope.kind === "aggregate"),
      ),
    );
    for (const upstream of upstreams) {
      this.#unsubscribe.push(upstream.onNotification((n) => this.#fromUpstream(upstream, n)));
    }
  }

  get size(): number {
    return this.#listeners.size;
  }

  add(listener: Listener): void {
    this.#listeners.add(listener);
  }

  remove(listener: Listener): void {
    this.#listeners.delete(listener);
  }

  /** Ends every stream gracefully (the listen request's empty result), as on shutdown. */
  closeAll(serverInfoOf: (scope: Scope) => Record<string, unknown> | undefined): void {
    for (const listener of [...this.#listeners]) {
      this.#listeners.delete(listener);
      const serverInfo = serverInfoOf(listener.session.scope);
      const _meta = {
        [SUBSCRIPTION_ID_META_KEY]: listener.id,
        ...(serverInfo ? { [SERVER_INFO_META_KEY]: serverInfo } : {}),
      };
      listener.stream.send({
        jsonrpc: "2.0",
        id: listener.id,
        result: { resultType: "complete", _meta },
      });
      listener.stream.close();
    }
    for (const off of this.#unsubscribe.splice(0)) off();
  }

  #fromUpstream(upstream: Upstream, notification: JsonRpcNotification): void {
    const { method, params } = notification;
    if (method === "notifications/resources/updated") {
      const uri = params?.uri;
      this.#deliver(
        method,
        params,
        (l) =>
          l.session.sees(upstream.name) &&
          typeof uri === "string" &&
          l.session.subscriptions.has(uri),
      );
    } else if (FLAG[method] !== undefined) {
      this.#deliver(
        method,
        params,
        (l) => l.session.scope.kind === "server" && l.session.scope.upstream === upstream,
      );
    }
  }

  #deliver(
    method: string,
    params: Record<string, unknown> | undefined,
    wants: (listener: Listener) => boolean,
  ): void {
    const flag = FLAG[method];
    for (const listener of this.#listeners) {
      if (flag !== undefined && listener.filter[flag] !== true) continue;
      if (!wants(listener)) continue;
      const _meta = {
        ...(params?._meta as Record<string, unknown> | undefined),
        [SUBSCRIPTION_ID_META_KEY]: listener.id,
      };
      listener.stream.send({ jsonrpc: "2.0", method, params: { ...params, _meta } });
    }
  }
}

/** Reads `params.notifications`; undefined when it is not a valid filter. */
export function parseFilter(value: unknown): ListenFilter | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  for (const key of ["toolsListChanged", "promptsListChanged", "resourcesListChanged"]) {
    if (v[key] !== undefined && typeof v[key] !== "boolean") return undefined;
  }
  const uris = v.resourceSubscriptions;
  if (uris !== undefined && !(Array.isArray(uris) && uris.every((u) => typeof u === "string")))
    return undefined;
  return v as ListenFilter;
}

/** The part of a filter the server can deliver, given what its capabilities offer. */
export function honoredFilter(
  requested: ListenFilter,
  capabilities: Record<string, unknown>,
): ListenFilter {
  const offers = (kind: string, bit: string) =>
    (capabilities[kind] as Record<string, unknown> | undefined)?.[bit] === true;
  const honored: ListenFilter = {};
  if (requested.toolsListChanged === true && offers("tools", "listChanged"))
    honored.toolsListChanged = true;
  if (requested.promptsListChanged === true && offers("prompts", "listChanged"))
    honored.promptsListChanged = true;
  if (requested.resourcesListChanged === true && offers("resources", "listChanged"))
    honored.resourcesListChanged = true;
  const uris = requested.resourceSubscriptions;
  if (uris !== undefined && uris.length > 0 && offers("resources", "subscribe"))
    honored.resourceSubscriptions = [...new Set(uris)];
  return honored;
}
