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
  /** Caller → kind → server → name: lookups with the strings the call already has, no key built per call. */
  readonly #callers = new Map<string, Record<Target["kind"], Map<string, Map<string, Match>>>>();
  /** Insertion order, for dropping the oldest entry beyond the bound. */
  #order: Array<[Map<string, Match>, string] | undefined> = [];
  #head = 0;
  #size = 0;

  constructor(policies: Policies, max = DECISION_CACHE_SIZE) {
    this.#policies = policies;
    this.#max = max;
  }

  get size(): number {
    return this.#size;
  }

  decide(principal: Principal, target: Target, checkArguments: boolean): Decision {
    const names = this.#names(principal, target);
    let match = names.get(target.name);
    if (match === undefined) {
      match = matchRule(this.#policies, principal, target);
      this.#remember(names, target.name, match);
    }
    return applyArguments(match, target.arguments, checkArguments);
  }

  #names(principal: Principal, target: Target): Map<string, Match> {
    const caller = callerKey(principal);
    let kinds = this.#callers.get(caller);
    if (kinds === undefined) {
      // Callers whose entries were all dropped still hold maps: start over rather than grow.
      if (this.#callers.size >= this.#max) this.#clear();
      kinds = { tool: new Map(), prompt: new Map(), resource: new Map() };
      this.#callers.set(caller, kinds);
    }
    const servers = kinds[target.kind];
    let names = servers.get(target.server);
    if (names === undefined) {
      names = new Map();
      servers.set(target.server, names);
    }
    return names;
  }

  #clear(): void {
    this.#callers.clear();
    this.#order = [];
    this.#head = 0;
    this.#size = 0;
  }

  #remember(names: Map<string, Match>, name: string, match: Match): void {
    if (this.#size >= this.#max) {
      const oldest = this.#order[this.#head];
      if (oldest !== undefined) {
        this.#order[this.#head] = undefined;
        this.#head++;
        if (oldest[0].delete(oldest[1])) this.#size--;
      }
      if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
        this.#order = this.#order.slice(this.#head);
        this.#head = 0;
      }
    }
    names.set(name, match);
    this.#order.push([names, name]);
    this.#size++;
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
