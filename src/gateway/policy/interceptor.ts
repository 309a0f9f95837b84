import type { Principal } from "../auth/principal.ts";
import { describePrincipal } from "../auth/principal.ts";
import { POLICY_DENIED } from "../auth/wire.ts";
import type { AccessCheck, Interceptor, ListFilter } from "../mcp/call-pipeline.ts";
import { failure } from "../mcp/outcomes.ts";
import type { CallOutcome } from "../upstream/types.ts";
import { type DecisionCache, decisionCache } from "./decision-cache.ts";
import type { Policies, Target } from "./types.ts";

/** First in the call pipeline: a denied call never reaches rate limits, cache, audit or the upstream. */
export function policyInterceptor(policies: Policies): Interceptor {
  const cache = decisionCache(policies);
  return (call, next) => {
    const target = {
      server: call.server,
      kind: call.kind,
      name: call.name,
      arguments: call.arguments,
    };
    const refused = refusal(cache, call.principal, target, call.exposedName, true);
    return refused ? Promise.resolve(refused) : next();
  };
}

/**
 * resources/subscribe and completion/complete: allowed exactly when reading
 * the resource or getting the prompt would be (argument constraints aside:
 * they are about tools/call only).
 */
export function policyAccessCheck(policies: Policies): AccessCheck {
  const cache = decisionCache(policies);
  return (request) => {
    const target = { server: request.server, kind: request.kind, name: request.name };
    return refusal(cache, request.principal, target, request.exposedName, false);
  };
}

function refusal(
  cache: DecisionCache,
  principal: Principal,
  target: Target,
  exposedName: string,
  checkArguments: boolean,
): CallOutcome | undefined {
  const decision = cache.decide(principal, target, checkArguments);
  if (decision.allowed) return undefined;
  const by = decision.rule === undefined ? "the default policy" : `policy rule "${decision.rule}"`;
  // Names only what the caller asked for: nothing about other tools or rules.
  const message = `Forbidden: ${target.kind} "${exposedName}" is not allowed for ${describePrincipal(principal)} by ${by} (${decision.reason})`;
  return failure(POLICY_DENIED, message, { rule: decision.rule ?? "default" });
}
/** Lists show each caller only what it may call. */
export function policyFilter(policies: Policies): ListFilter {
  const cache = decisionCache(policies);
  return (principal, entry) => {
    const kind = entry.kind === "tools" ? "tool" : entry.kind === "prompts" ? "prompt" : "resource";
    return cache.decide(principal, { server: entry.server, kind, name: entry.name }, false).allowed;
  };
}
