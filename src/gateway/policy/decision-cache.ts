import type { Principal } from "../auth/principal.ts";
import { applyArguments, type Match, matchRule } from "./evaluate.ts";
import type { Decision, Policies, Target } from "./types.ts";

/** Distinct (caller, server, kind, name) entries kept; the oldest goes first beyond it. */
export const DECISION_CACHE_SIZE = 10_000;

/**
 * Policy decisions memoised per caller identity, server, kind and name. Rule
 * matching (name normalisation, globs, roles) depends on nothing else, so it
 * runs once per distinct combination; argument constraints still run on every
 * call. One cache per Policies object: a configuration change builds new
 * Policies and so starts from an empty cache. Bounded, since names come from
 * clients.
 */
export class DecisionCache {
  readonly #policies: Policies;
  readonly #max: number;
  readonly #matches = new Map<string, Match>();

  constructor(policies: Policies, max = DECISION_CACHE_SIZE) {
    this.#policies = policies;
    this.#max = max;
  }

  get size(): number {
    return this.#matches.size;
  }

  decide(principal: Principal, target: Target, checkArguments: boolean): Decision {
    const key = cacheKey(principal, target);
    let match = this.#matches.get(key);
    if (match === undefined) {
      match = matchRule(this.#policies, principal, target);
      if (this.#matches.size >= this.#max) {
        const oldest = this.#matches.keys().next();
        if (!oldest.done) this.#matches.delete(oldest.value);
      }
      this.#matches.set(key, match);
    }
    return applyArguments(match, target.arguments, checkArguments);
  }
}

const caches = new WeakMap<Policies, DecisionCache>();

/** The one cache of these policies, shared by the call interceptor, access check and list filter. */
export function decisionCache(policies: Policies): DecisionCache {
  let cache = caches.get(policies);
  if (!cache) {
    cache = new DecisionCache(policies);
    caches.set(policies, cache);
  }
  return cache;
}

const principalKeys = new WeakMap<Principal, string>();

/**
 * Everything a rule can look at about a caller, as JSON (which escapes
 * control characters, so the key cannot be confused with what follows it).
 * API-key callers reuse one principal object per key, so this is usually a
 * WeakMap hit.
 */
function callerKey(principal: Principal): string {
  let key = principalKeys.get(principal);
  if (key === undefined) {
    const { method, subject, keyId, roles, scopes } = principal;
    key = JSON.stringify([method, subject, keyId ?? null, roles, scopes]);
    principalKeys.set(principal, key);
  }
  return key;
}

/** Unambiguous: the caller's JSON ends where it ends, kind is one of three words, server is length-prefixed. */
function cacheKey(principal: Principal, target: Target): string {
  return `${callerKey(principal)}${target.kind}${target.server.length}:${target.server}${target.name}`;
}
