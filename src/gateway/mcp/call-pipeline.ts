import type { Principal } from "../auth/principal.ts";
import type { ListItem, ListKind } from "../catalog/list-kinds.ts";
import type { Params } from "../jsonrpc/messages.ts";
import type { CallContext, CallOutcome } from "../upstream/types.ts";

export type CallKind = "tool" | "prompt" | "resource";

/** One tool call, prompt get or resource read, as every interceptor sees it. */
export interface CallInfo {
  readonly principal: Principal;
  /** The configured server (upstream) name. */
  readonly server: string;
  readonly kind: CallKind;
  /** The name as the upstream knows it (the URI for a resource). */
  readonly name: string;
  /** The name the client used (namespaced in /mcp; the URI for a resource). */
  readonly exposedName: string;
  readonly arguments: Readonly<Record<string, unknown>> | undefined;
  /** The params sent upstream; tracing adds `_meta.traceparent` to them. */
  readonly params: Params;
  /** The tool's annotations from the catalog (readOnlyHint, …); undefined when unknown. */
  readonly annotations: Readonly<Record<string, unknown>> | undefined;
  readonly context: CallContext;
}

/**
 * What a caller wants to touch without running it: resources/subscribe and
 * completion/complete reveal or follow a resource or prompt, so they need the
 * same permission as reading it, but they are not calls (no cache, no audit).
 */
export interface AccessRequest {
  readonly principal: Principal;
  readonly server: string;
  readonly kind: "prompt" | "resource";
  /** Upstream-side prompt name or resource URI (template). */
  readonly name: string;
  readonly exposedName: string;
}

/** A refusal to send back, or undefined to let the request through. */
export type AccessCheck = (request: AccessRequest) => CallOutcome | undefined;

export type Interceptor = (
  call: CallInfo,
  next: () => Promise<CallOutcome>,
) => Promise<CallOutcome>;

/** One entry of a tools/prompts/resources list, for per-caller filtering. */
export interface ListEntry {
  readonly server: string;
  readonly kind: ListKind;
  /** Upstream-side name (the URI or URI template for resources). */
  readonly name: string;
  readonly exposedName: string;
  readonly item: ListItem;
}

/** Returns false to hide an entry from this caller. */
export type ListFilter = (principal: Principal, entry: ListEntry) => boolean;

/** Finds a tool's annotations in the catalog (server, upstream-side name). */
export type AnnotationLookup = (
  server: string,
  name: string,
) => Readonly<Record<string, unknown>> | undefined;

export interface CallPipelineOptions {
  interceptors?: readonly Interceptor[];
  listFilters?: readonly ListFilter[];
  accessChecks?: readonly AccessCheck[];
  annotations?: AnnotationLookup;
}

/**
 * The ordered chain around every tool call, prompt get and resource read, and
 * the filters applied to lists. The gateway builds it once from config in a
 * fixed order (auth-derived policy first, then rate limits, cache, audit).
 * With nothing configured `active`/`filtering` are false and callers skip it,
 * so the fast path allocates nothing.
 */
export class CallPipeline {
  readonly #interceptors: readonly Interceptor[];
  readonly #filters: readonly ListFilter[];
  readonly #checks: readonly AccessCheck[];
  readonly #annotations: AnnotationLookup | undefined;
  readonly active: boolean;
  readonly filtering: boolean;

  constructor(options: CallPipelineOptions = {}) {
    this.#interceptors = options.interceptors ?? [];
    this.#filters = options.listFilters ?? [];
    this.#checks = options.accessChecks ?? [];
    this.#annotations = options.annotations;
    this.active = this.#interceptors.length > 0;
    this.filtering = this.#filters.length > 0;
  }

  annotationsOf(server: string, name: string): Readonly<Record<string, unknown>> | undefined {
    return this.#annotations?.(server, name);
  }

  /** Runs the interceptors in order, then `last`; an interceptor may answer without calling next. */
  run(call: CallInfo, last: () => Promise<CallOutcome>): Promise<CallOutcome> {
    const chain = this.#interceptors;
    const step = (index: number): Promise<CallOutcome> => {
      const interceptor = chain[index];
      try {
        if (!interceptor) return last();
        let called = false;
        return interceptor(call, () => {
          // Calling next twice would send the call upstream twice.
          if (called) return Promise.reject(new Error("interceptor called next() twice"));
          called = true;
          return step(index + 1);
        });
      } catch (error) {
        // Interceptors need not be async functions; a synchronous throw still rejects.
        return Promise.reject(error);
      }
    };
    return step(0);
  }

  /** The first refusal of an access check (subscribe, completion); undefined when all allow it. */
  checkAccess(request: AccessRequest): CallOutcome | undefined {
    for (const check of this.#checks) {
      const refused = check(request);
      if (refused) return refused;
    }
    return undefined;
  }

  /** Whether every list filter lets this caller see the entry. */
  visible(principal: Principal, entry: ListEntry): boolean {
    for (const filter of this.#filters) if (!filter(principal, entry)) return false;
    return true;
  }
}

/** The field that names an entry of each list: the upstream-side name or URI. */
export const LIST_KEY: Record<ListKind, string> = {
  tools: "name",
  prompts: "name",
  resources: "uri",
  resourceTemplates: "uriTemplate",
};

/** Where an aggregated entry comes from; undefined hides it (fail closed). */
export type Owner = (exposedName: string) => { server: string; name: string } | undefined;

/** Filters a list for one caller; returns the same array when nothing is filtered. */
export function filterList(
  pipeline: CallPipeline,
  principal: Principal,
  kind: ListKind,
  items: readonly ListItem[],
  owner: Owner,
): ListItem[] {
  if (!pipeline.filtering) return items as ListItem[];
  const key = LIST_KEY[kind];
  return items.filter((item) => {
    const exposedName = String(item[key]);
    const found = owner(exposedName);
    return (
      found !== undefined &&
      pipeline.visible(principal, {
        server: found.server,
        kind,
        name: found.name,
        exposedName,
        item,
      })
    );
  });
}

/** The pipeline with nothing configured. */
export const EMPTY_PIPELINE = new CallPipeline();
