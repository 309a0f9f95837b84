import { RESILIENCE_DEFAULTS } from "../../config/defaults.ts";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Upstream } from "../upstream/types.ts";
import { whenReady } from "../upstream/when-ready.ts";
import { fetchList } from "./fetch-list.ts";
import {
  LIST_CAPABILITY,
  LIST_KINDS,
  LIST_METHOD,
  type ListItem,
  type ListKind,
} from "./list-kinds.ts";
import { qualifyName, splitName } from "./names.ts";
import { compileUriTemplate } from "./uri-template.ts";

export interface Route {
  upstream: Upstream;
  /** The name as the upstream knows it. */
  name: string;
}

interface ServerLists {
  upstream: Upstream;
  lists: Partial<Record<ListKind, ListItem[]>>;
  loading: Partial<Record<ListKind, Promise<void>>>;
  errors: Partial<Record<ListKind, string>>;
}

interface Indexes {
  views: Record<ListKind, ListItem[]>;
  tools: Map<string, Route>;
  prompts: Map<string, Route>;
  resources: Map<string, Upstream>;
  templates: Array<{ template: string; pattern: RegExp; upstream: Upstream }>;
}

export type CatalogListener = (kind: ListKind, server: string) => void;

/**
 * The aggregated view of every upstream's tools, prompts, resources and
 * templates, and the reverse tables that route a namespaced name or a URI back
 * to its upstream. Lists are fetched when an upstream becomes ready and again
 * after its list-changed notifications; reads never wait on the network unless
 * a ready upstream's list has never been fetched.
 */
export class Catalog {
  readonly #servers = new Map<string, ServerLists>();
  readonly #separator: string;
  readonly #logger: Logger;
  readonly #listeners = new Set<CatalogListener>();
  #indexes: Indexes | undefined;

  constructor(options: { separator: string; logger: Logger }) {
    this.#separator = options.separator;
    this.#logger = options.logger;
  }

  add(upstream: Upstream): void {
    this.#servers.set(upstream.name, { upstream, lists: {}, loading: {}, errors: {} });
    this.#indexes = undefined;
  }

  /**
   * Hot reload: a server's new upstream takes over its entry. Its lists stay
   * (so names keep resolving) until `refresh` fetches them from the new one.
   */
  replace(upstream: Upstream): void {
    const entry = this.#servers.get(upstream.name);
    if (entry === undefined) {
      this.add(upstream);
      return;
    }
    entry.upstream = upstream;
    entry.loading = {};
    this.#indexes = undefined;
  }

  remove(name: string): void {
    this.#servers.delete(name);
    this.#indexes = undefined;
  }

  onChange(listener: CatalogListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Drops and refetches `kinds` of one server; listeners hear of each kind once it is reloaded. */
  async refresh(server: string, kinds: readonly ListKind[] = LIST_KINDS): Promise<void> {
    const entry = this.#servers.get(server);
    if (!entry) return;
    const offered = kinds.filter((kind) => offers(entry.upstream, kind));
    for (const kind of kinds) if (!offered.includes(kind)) delete entry.errors[kind];
    await Promise.all(offered.map((kind) => this.#load(entry, kind, true)));
  }

  /** Forgets a server's lists (it went down): its names leave the aggregate until it is back. */
  forget(server: string): void {
    const entry = this.#servers.get(server);
    if (!entry) return;
    entry.lists = {};
    this.#indexes = undefined;
    for (const kind of LIST_KINDS) this.#emit(kind, server);
  }

  /**
   * Makes sure every ready upstream's list of `kind` has been fetched once,
   * in parallel, each waited for at most its server's `listTimeoutMs`: a
   * server slower than that is reported missing (`failures`) while its fetch
   * goes on; when it lands, listeners hear of the change.
   */
  async ensure(kind: ListKind): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const entry of this.#servers.values()) {
      if (entry.lists[kind] !== undefined) continue;
      if (offers(entry.upstream, kind))
        waits.push(this.#bounded(entry, kind, this.#load(entry, kind, false)));
      else if (entry.upstream.state === "starting")
        waits.push(this.#bounded(entry, kind, this.#loadOnceReady(entry, kind)));
    }
    if (waits.length > 0) await Promise.all(waits);
  }

  #bounded(entry: ServerLists, kind: ListKind, task: Promise<void>): Promise<void> {
    const { upstream } = entry;
    const ms = upstream.config.listTimeoutMs ?? RESILIENCE_DEFAULTS.listTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (entry.lists[kind] === undefined && entry.errors[kind] === undefined) {
          const what = upstream.state === "ready" ? LIST_METHOD[kind] : `start (${upstream.state})`;
          entry.errors[kind] = `no answer to ${what} within ${ms} ms; listed without it for now`;
        }
        resolve();
      }, ms);
    });
    return Promise.race([task, deadline]).finally(() => clearTimeout(timer));
  }

  /** The aggregated list with namespaced names, in a deterministic order. */
  list(kind: ListKind): ListItem[] {
    return this.#index().views[kind];
  }

  /** One server's list as the upstream gave it (un-prefixed), or undefined if not fetched. */
  serverList(server: string, kind: ListKind): ListItem[] | undefined {
    return this.#servers.get(server)?.lists[kind];
  }

  /** Servers whose list of `kind` could not be fetched, with the reason. */
  failures(kind: ListKind): Array<{ server: string; error: string }> {
    const out: Array<{ server: string; error: string }> = [];
    for (const [server, entry] of this.#servers) {
      const error = entry.errors[kind];
      if (error !== undefined) out.push({ server, error });
    }
    return out;
  }

  resolveTool(qualified: string): Route | undefined {
    return this.#index().tools.get(qualified) ?? this.#fallback(qualified);
  }

  resolvePrompt(qualified: string): Route | undefined {
    return this.#index().prompts.get(qualified) ?? this.#fallback(qualified);
  }

  resolveResource(uri: string): Upstream | undefined {
    const index = this.#index();
    const exact = index.resources.get(uri);
    if (exact) return exact;
    for (const { template, upstream } of index.templates) if (template === uri) return upstream;
    for (const { pattern, upstream } of index.templates) if (pattern.test(uri)) return upstream;
    return undefined;
  }

  /** Finds a server by prefix for names not listed yet (a tool added a moment ago). */
  #fallback(qualified: string): Route | undefined {
    const parts = splitName(qualified, this.#separator);
    if (!parts) return undefined;
    for (const entry of this.#servers.values()) {
      if (entry.upstream.config.prefix === parts.prefix)
        return { upstream: entry.upstream, name: parts.name };
    }
    return undefined;
  }

  /** A server still starting is waited for (up to its connect timeout) rather than left out. */
  async #loadOnceReady(entry: ServerLists, kind: ListKind): Promise<void> {
    const { upstream } = entry;
    if ((await whenReady(upstream, upstream.config.connectTimeoutMs)) && offers(upstream, kind)) {
      await this.#load(entry, kind, false);
    }
  }

  #load(entry: ServerLists, kind: ListKind, force: boolean): Promise<void> {
    const running = entry.loading[kind];
    if (running && !force) return running;
    let changed = false;
    const task = fetchList(entry.upstream, kind).then(
      (items) => {
        changed = !sameList(entry.lists[kind], items);
        entry.lists[kind] = items;
        delete entry.errors[kind];
      },
      (error: unknown) => {
        entry.errors[kind] = errorMessage(error);
        this.#logger.warn(
          { server: entry.upstream.name, kind, err: errorMessage(error) },
          "could not fetch list",
        );
      },
    );
    const done = task.finally(() => {
      if (entry.loading[kind] === done) delete entry.loading[kind];
      if (!changed) return;
      this.#indexes = undefined;
      this.#emit(kind, entry.upstream.name);
    });
    entry.loading[kind] = done;
    return done;
  }

  #emit(kind: ListKind, server: string): void {
    for (const listener of this.#listeners) listener(kind, server);
  }

  #index(): Indexes {
    this.#indexes ??= buildIndexes(this.#servers, this.#separator, this.#logger);
    return this.#indexes;
  }
}

/** Upstreams re-send identical lists after reconnects; only real changes reach clients. */
function sameList(before: ListItem[] | undefined, after: ListItem[]): boolean {
  return before !== undefined && JSON.stringify(before) === JSON.stringify(after);
}

function offers(upstream: Upstream, kind: ListKind): boolean {
  return (
    upstream.state === "ready" && upstream.info?.capabilities[LIST_CAPABILITY[kind]] !== undefined
  );
}

function byName(a: ListItem, b: ListItem): number {
  const x = String(a.name ?? a.uri ?? a.uriTemplate ?? "");
  const y = String(b.name ?? b.uri ?? b.uriTemplate ?? "");
  return x < y ? -1 : x > y ? 1 : 0;
}

function buildIndexes(
  servers: Map<string, ServerLists>,
  separator: string,
  logger: Logger,
): Indexes {
  const index: Indexes = {
    views: { tools: [], prompts: [], resources: [], resourceTemplates: [] },
    tools: new Map(),
    prompts: new Map(),
    resources: new Map(),
    templates: [],
  };
  const names = [...servers.keys()].sort();
  for (const server of names) {
    const entry = servers.get(server)!;
    const { upstream, lists } = entry;
    for (const kind of ["tools", "prompts"] as const) {
      for (const item of [...(lists[kind] ?? [])].sort(byName)) {
        const name = String(item.name);
        const qualified = qualifyName(upstream.config.prefix, name, separator);
        index[kind].set(qualified, { upstream, name });
        index.views[kind].push({ ...item, name: qualified });
      }
    }
    for (const item of lists.resources ?? []) {
      const uri = String(item.uri);
      const owner = index.resources.get(uri);
      if (owner) {
        logger.warn(
          { uri, server, owner: owner.name },
          "resource URI offered by two servers; the first keeps it in /mcp",
        );
        continue;
      }
      index.resources.set(uri, upstream);
      index.views.resources.push(item);
    }
    for (const item of lists.resourceTemplates ?? []) {
      const template = String(item.uriTemplate);
      index.templates.push({ template, pattern: compileUriTemplate(template), upstream });
      index.views.resourceTemplates.push(item);
    }
  }
  return index;
}
