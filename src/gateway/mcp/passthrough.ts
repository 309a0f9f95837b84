import type { ListKind } from "../catalog/list-kinds.ts";
import type { Params } from "../jsonrpc/messages.ts";
import type { Session } from "../session/session.ts";
import type { CallContext, CallOutcome, Upstream } from "../upstream/types.ts";
import { filterList } from "./call-pipeline.ts";
import type { Forwarder } from "./forwarder.ts";

const LISTS: Record<string, ListKind> = {
  "tools/list": "tools",
  "prompts/list": "prompts",
  "resources/list": "resources",
  "resources/templates/list": "resourceTemplates",
};

/**
 * Methods of `/servers/<name>/mcp`: one upstream, names as it has them. Every
 * method goes through unchanged except those that touch state the upstream
 * shares with other clients (subscriptions, log level) and `ping`, which the
 * gateway answers itself.
 */
export function handlePassthrough(
  upstream: Upstream,
  forward: Forwarder,
  session: Session,
  method: string,
  params: Params | undefined,
  context: CallContext,
): Promise<CallOutcome> {
  const kind = LISTS[method];
  if (kind !== undefined && forward.pipeline.filtering)
    return listFiltered(upstream, forward, session, method, kind, params, context);
  const name = typeof params?.name === "string" ? params.name : "";
  switch (method) {
    case "ping":
      return Promise.resolve({ result: {} });
    case "tools/call":
      return forward.tool(upstream, name, params ?? {}, context, {
        principal: session.principal,
        exposedName: name,
      });
    case "prompts/get":
      return forward.read("prompt", upstream, params ?? {}, context, {
        principal: session.principal,
        exposedName: name,
      });
    case "resources/read":
      return forward.read("resource", upstream, params ?? {}, context, {
        principal: session.principal,
        exposedName: String(params?.uri),
      });
    case "resources/subscribe":
    case "resources/unsubscribe":
      return forward.subscription(session, upstream, method, String(params?.uri));
    case "logging/setLevel":
      return forward.setLogLevel(session, params, upstream);
    case "completion/complete":
      return complete(upstream, forward, session, params ?? {}, context);
    default:
      return forward.call(upstream, method, params, context);
  }
}

/** Completions for a prompt or resource template the caller may use; other refs go through as they are. */
function complete(
  upstream: Upstream,
  forward: Forwarder,
  session: Session,
  params: Params,
  context: CallContext,
): Promise<CallOutcome> {
  const ref = params.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
  const kind =
    ref?.type === "ref/prompt" ? "prompt" : ref?.type === "ref/resource" ? "resource" : undefined;
  const name = kind === "prompt" ? ref?.name : ref?.uri;
  if (kind === undefined || typeof name !== "string")
    return forward.call(upstream, "completion/complete", params, context);
  const meta = { principal: session.principal, exposedName: name };
  return forward.complete(kind, name, upstream, params, context, meta);
}

/** A list as the upstream gave it, minus what this caller may not see. */
async function listFiltered(
  upstream: Upstream,
  forward: Forwarder,
  session: Session,
  method: string,
  kind: ListKind,
  params: Params | undefined,
  context: CallContext,
): Promise<CallOutcome> {
  const outcome = await forward.call(upstream, method, params, context);
  if ("error" in outcome) return outcome;
  const items = outcome.result[kind];
  if (!Array.isArray(items)) return outcome;
  const owner = (name: string) => ({ server: upstream.name, name });
  const visible = filterList(forward.pipeline, session.principal, kind, items, owner);
  return { result: { ...outcome.result, [kind]: visible } };
}
