import type { Principal } from "../auth/principal.ts";
import { matchesAny } from "./glob.ts";
import { canonicalName, canonicalUri } from "./names.ts";
import type { ArgumentConstraint, Decision, Policies, Rule, Target } from "./types.ts";

/** Which rule decides a target for a caller, before any argument constraint is checked. */
export interface Match {
  decision: Decision;
  /** The allow rule that decided, when it has argument constraints to check on each call. */
  constrained: Rule | undefined;
}

/**
 * Decides one call. Rules are read in order and the FIRST rule that matches
 * the server, kind, name and caller decides (put narrow denies before broad
 * allows). No match: the configured default, else allow on a server no rule
 * names (as without policies) and deny on one that some rule names.
 * `checkArguments` is false when filtering lists.
 */
export function decide(
  policies: Policies,
  principal: Principal,
  target: Target,
  checkArguments = true,
): Decision {
  return applyArguments(matchRule(policies, principal, target), target.arguments, checkArguments);
}

/** The part of `decide` that does not depend on the call's arguments (and so can be cached). */
export function matchRule(policies: Policies, principal: Principal, target: Target): Match {
  const canonical =
    target.kind === "resource" ? canonicalUri(target.name) : canonicalName(target.name);
  if (!canonical.ok) return settled(false, undefined, canonical.reason);
  const server = target.server.normalize("NFKC");
  let serverNamed = false;
  for (const rule of policies.rules) {
    if (!matchesAny(rule.servers, server)) continue;
    serverNamed = true;
    if (!rule.kinds.includes(target.kind) || !matchesAny(rule.names, canonical.value)) continue;
    if (!aboutCaller(rule, principal)) continue;
    if (rule.effect === "deny") return settled(false, rule.name, "denied by rule");
    const match = settled(true, rule.name, "allowed by rule");
    return Object.keys(rule.arguments).length > 0 ? { ...match, constrained: rule } : match;
  }
  const effect = policies.default ?? (serverNamed ? "deny" : "allow");
  return effect === "allow"
    ? settled(true, undefined, "allowed by default")
    : settled(false, undefined, "no rule allows it (default deny)");
}

/** The final decision: a matched allow rule's argument constraints checked against this call. */
export function applyArguments(
  match: Match,
  args: Readonly<Record<string, unknown>> | undefined,
  checkArguments: boolean,
): Decision {
  if (!checkArguments || match.constrained === undefined) return match.decision;
  const problem = argumentProblem(match.constrained, args);
  return problem
    ? { allowed: false, rule: match.constrained.name, reason: problem }
    : match.decision;
}

function settled(allowed: boolean, rule: string | undefined, reason: string): Match {
  return { decision: Object.freeze({ allowed, rule, reason }), constrained: undefined };
}

function aboutCaller(rule: Rule, principal: Principal): boolean {
  if (rule.subjects.length > 0 && !matchesAny(rule.subjects, principal.subject)) return false;
  if (rule.roles.length > 0 && !rule.roles.some((r) => principal.roles.includes(r))) return false;
  if (rule.scopes.length > 0 && !rule.scopes.some((s) => principal.scopes.includes(s)))
    return false;
  if (
    rule.keyIds.length > 0 &&
    (principal.keyId === undefined || !rule.keyIds.includes(principal.keyId))
  )
    return false;
  return true;
}

/** The first argument that breaks the rule's constraints, described; undefined when all hold. */
export function argumentProblem(
  rule: Rule,
  args: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  for (const [name, constraint] of Object.entries(rule.arguments)) {
    if (args === undefined || !Object.hasOwn(args, name)) continue;
    const problem = valueProblem(constraint, args[name]);
    if (problem) return `argument "${name}" ${problem}`;
  }
  return undefined;
}

function valueProblem(c: ArgumentConstraint, value: unknown): string | undefined {
  if (c.values && !c.values.some((v) => JSON.stringify(v) === JSON.stringify(value)))
    return "is not one of the allowed values";
  if (c.pattern || c.maxLength !== undefined) {
    if (typeof value !== "string") return "must be a string";
    if (c.maxLength !== undefined && value.length > c.maxLength)
      return `is longer than ${c.maxLength} characters`;
    if (c.pattern && !c.pattern.test(value)) return "does not match the allowed pattern";
  }
  if (c.min !== undefined || c.max !== undefined) {
    if (typeof value !== "number" || !Number.isFinite(value)) return "must be a number";
    if (c.min !== undefined && value < c.min) return `is below ${c.min}`;
    if (c.max !== undefined && value > c.max) return `is above ${c.max}`;
  }
  return undefined;
}
