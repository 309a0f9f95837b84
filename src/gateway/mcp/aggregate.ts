import type { Catalog, Route } from "../catalog/catalog.ts";
import type { ListKind } from "../catalog/list-kinds.ts";
import { INVALID_PARAMS, METHOD_NOT_FOUND, RESOURCE_NOT_FOUND } from "../jsonrpc/codes.ts";
import type { Params } from "../jsonrpc/messages.ts";
import type { Session } from "../session/session.ts";
import type { CallContext, CallOutcome, Upstream } from "../upstream/types.ts";
import { filterList, type Owner } from "./call-pipeline.ts";
import type { CallMeta, Forwarder } from "./forwarder.ts";
import { failure } from "./outcomes.ts";

const LIST_RESULT: Record<string, ListKind> = {
  "tools/list": "tools",
  "prompts/list": "prompts",
  "resources/list": "resources",
  "resources/templates/list": "resourceTemplates",
};

/**
 * Methods of `/mcp`, where every upstream is visible at once: lists are
 * merged with namespaced names, and each call is routed by name or URI.
 */
export async function handleAggregate(
  catalog: Catalog,
  forward: Forwarder,
  session: Session,
  method: string,
  params: Params | undefined,
  context: CallContext,
): Promise<CallOutcome> {
  const kind = LIST_RESULT[method];
  if (kind !== undefined) return listAll(catalog, forward, session, kind);
  switch (method) {
    case "ping":
      return { result: {} };
    case "tools/call":
      return callTool(catalog, forward, session, params, context);
    case "prompts/get":
      return getPrompt(catalog, forward, session, params, context);
    case "resources/read":
      return withResource(catalog, params, (upstream) =>
        forward.read("resource", upstream, params ?? {}, context, {
          principal: session.principal,
          exposedName: String(params?.uri),
        }),
      );
    case "resources/subscribe":
    case "resources/unsubscribe":
      return withResource(catalog, params, (upstream) =>
        forward.subscription(session, upstream, method, String(params?.uri)),
      );
    case "completion/complete":
      return complete(catalog, forward, session, params, context);
    default:
      return failure(METHOD_NOT_FOUND, `method not found: ${method}`);
  }
}

async function listAll(
  catalog: Catalog,
  forward: Forwarder,
  session: Session,
  kind: ListKind,
): Promise<CallOutcome> {
  await catalog.ensure(kind);
  const missing = catalog.failures(kind);
  const items = filterList(forward.pipeline, session.principal, kind, catalog.list(kind), (name) =>
    ownerOf(catalog, kind, name),
  );
  const result: Record<string, unknown> = { [kind]: items };
  if (missing.length > 0) result._meta = { "io.sophia/missing": missing };
  return { result };
}

/** Which server (and upstream-side name) an aggregated list entry belongs to. */
function ownerOf(catalog: Catalog, kind: ListKind, exposed: string): ReturnType<Owner> {
  if (kind === "tools" || kind === "prompts") {
    const route = kind === "tools" ? catalog.resolveTool(exposed) : catalog.resolvePrompt(exposed);
    return route && { server: route.upstream.name, name: route.name };
  }
  const upstream = catalog.resolveResource(exposed);
  return upstream && { server: upstream.name, name: exposed };
}

function metaOf(session: Session, params: Params | undefined): CallMeta {
  return { principal: session.principal, exposedName: String(params?.name) };
}

/** Resolves a namespaced tool or prompt name, fetching lists not loaded yet; an error names what is unknown. */
async function resolveNamed(
  catalog: Catalog,
  kind: "tools" | "prompts",
  params: Params | undefined,
): Promise<Route | CallOutcome> {
  const noun = kind === "tools" ? "tool" : "prompt";
  const name = params?.name;
  if (typeof name !== "string")
    return failure(INVALID_PARAMS, `a ${noun} call needs a string "name"`);
  const resolve = (n: string) =>
    kind === "tools" ? catalog.resolveTool(n) : catalog.resolvePrompt(n);
  let route = resolve(name);
  if (!route) {
    await catalog.ensure(kind);
    route = resolve(name);
  }
  return (
    route ??
    failure(INVALID_PARAMS, `Unknown ${noun}: ${name} (no server offers it; see ${kind}/list)`)
  );
}

async function callTool(
  catalog: Catalog,
  forward: Forwarder,
  session: Session,
  params: Params | undefined,
  context: CallContext,
): Promise<CallOutcome> {
  const route = await resolveNamed(catalog, "tools", params);
  if (!("upstream" in route)) return route;
  const meta = metaOf(session, params);
  return forward.tool(route.upstream, route.name, { ...params, name: route.name }, context, meta);
}

async function getPrompt(
  catalog: Catalog,
  forward: Forwarder,
  session: Session,
  params: Params | undefined,
  context: CallContext,
): Promise<CallOutcome> {
  const route = await resolveNamed(catalog, "prompts", params);
  if (!("upstream" in route)) return route;
  const prompt = { ...params, name: route.name };
  return forward.read("prompt", route.upstream, prompt, context, metaOf(session, params));
}

async function withResource(
  catalog: Catalog,
  params: Params | undefined,
  run: (upstream: Upstream) => Promise<CallOutcome>,
): Promise<CallOutcome> {
  const uri = params?.uri;
  if (typeof uri !== "string") return failure(INVALID_PARAMS, 'expected a string "uri"');
  let upstream = catalog.resolveResource(uri);
  if (!upstream) {
    await Promise.all([catalog.ensure("resources"), catalog.ensure("resourceTemplates")]);
    upstream = catalog.resolveResource(uri);
  }
  if (!upstream)
    return failure(
      RESOURCE_NOT_FOUND,
      `Resource not found: ${uri} (no server lists it or a matching template)`,
      { uri },
    );
  return run(upstream);
}

async function complete(
  catalog: Catalog,
  forward: Forwarder,
  session: Session,
  params: Params | undefined,
  context: CallContext,
): Promise<CallOutcome> {
  const ref = params?.ref as { type?: string; name?: string; uri?: string } | undefined;
  const principal = session.principal;
  if (ref?.type === "ref/prompt" && typeof ref.name === "string") {
    const route = catalog.resolvePrompt(ref.name);
    if (!route) return failure(INVALID_PARAMS, `Unknown prompt: ${ref.name}`);
    const upstreamParams = { ...params, ref: { ...ref, name: route.name } };
    return forward.complete("prompt", route.name, route.upstream, upstreamParams, context, {
      principal,
      exposedName: ref.name,
    });
  }
  if (ref?.type === "ref/resource" && typeof ref.uri === "string") {
    const uri = ref.uri;
    const upstream = catalog.resolveResource(uri);
    if (!upstream) return failure(INVALID_PARAMS, `Unknown resource template: ${uri}`);
    return forward.complete("resource", uri, upstream, params ?? {}, context, {
      principal,
      exposedName: uri,
    });
  }
  return failure(
    INVALID_PARAMS,
    'completion/complete needs "ref" of type ref/prompt (with name) or ref/resource (with uri)',
  );
}
