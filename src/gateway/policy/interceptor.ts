import { describePrincipal } from "../auth/principal.ts";
import { POLICY_DENIED } from "../auth/wire.ts";
import type { Interceptor, ListFilter } from "../mcp/call-pipeline.ts";
import { failure } from "../mcp/outcomes.ts";
import { decide } from "./evaluate.ts";
import type { Policies } from "./types.ts";

/** First in the call pipeline: a denied call never reaches rate limits, cache, audit or the upstream. */
export function policyInterceptor(policies: Policies): Interceptor {
  return (call, next) => {
    const decision = decide(policies, call.principal, {
      server: call.server,
      kind: call.kind,
      name: call.name,
      arguments: call.arguments,
    });
    if (decision.allowed) return next();
    const by =
      decision.rule === undefined ? "the default policy" : `policy rule "${decision.rule}"`;
    // Names only what the caller asked for: nothing about other tools or rules.
    const message = `Forbidden: ${call.kind} "${call.exposedName}" is not allowed for ${describePrincipal(call.principal)} by ${by} (${decision.reason})`;
    return Promise.resolve(failure(POLICY_DENIED, message, { rule: decision.rule ?? "default" }));
  };
}

/** Lists show each caller only what it may call. */
export function policyFilter(policies: Policies): ListFilter {
  return (principal, entry) => {
    const kind = entry.kind === "tools" ? "tool" : entry.kind === "prompts" ? "prompt" : "resource";
    return decide(policies, principal, { server: entry.server, kind, name: entry.name }, false)
      .allowed;
  };
}
