import type { Principal } from "../auth/principal.ts";
import type { CallInfo } from "../mcp/call-pipeline.ts";
import { matchesAny } from "../policy/glob.ts";
import type { Dimension, LimitRule } from "./config.ts";

/** One bucket a call draws from: the rule and the identity of the bucket. */
export interface BucketRef {
  readonly rule: LimitRule;
  readonly key: string;
}

function dimensionValue(dimension: Dimension, call: CallInfo): string {
  switch (dimension) {
    case "key":
      // Callers without an API key share their subject's bucket.
      return call.principal.keyId ?? `subject:${call.principal.subject}`;
    case "subject":
      return `${call.principal.method}:${call.principal.subject}`;
    case "server":
      return call.server;
    case "tool":
      return `${call.server}/${call.name}`;
  }
}

/** The buckets of every rule that applies to this call (pure). */
export function bucketsFor(rules: readonly LimitRule[], call: CallInfo): BucketRef[] {
  const out: BucketRef[] = [];
  for (const rule of rules) {
    if (!matchesAny(rule.servers, call.server) || !matchesAny(rule.tools, call.name)) continue;
    // JSON keeps values apart even when they contain the separator.
    const key = `${rule.name}:${JSON.stringify(rule.per.map((d) => dimensionValue(d, call)))}`;
    out.push({ rule, key });
  }
  return out;
}

/** Callers, and names per caller and server, remembered before the cache starts over. */
const MAX_CALLERS = 10_000;
const MAX_NAMES = 1_000;

const identities = new WeakMap<Principal, string>();

/** Everything a bucket key can take from the caller, as JSON (values kept apart). */
function identityOf(principal: Principal): string {
  let identity = identities.get(principal);
  if (identity === undefined) {
    identity = JSON.stringify([principal.method, principal.subject, principal.keyId ?? null]);
    identities.set(principal, identity);
  }
  return identity;
}

/**
 * `bucketsFor` remembered per caller, server and name: which rules apply and
 * the bucket keys depend on nothing else, so the globs and key building run
 * once per combination instead of on every call. Bounded, since names come
 * from clients; one cache per rule set (a reload builds a new one).
 */
export class BucketRefCache {
  readonly #rules: readonly LimitRule[];
  readonly #callers = new Map<string, Map<string, Map<string, BucketRef[]>>>();

  constructor(rules: readonly LimitRule[]) {
    this.#rules = rules;
  }

  for(call: CallInfo): BucketRef[] {
    const identity = identityOf(call.principal);
    let servers = this.#callers.get(identity);
    if (servers === undefined) {
      if (this.#callers.size >= MAX_CALLERS) this.#callers.clear();
      servers = new Map();
      this.#callers.set(identity, servers);
    }
    let names = servers.get(call.server);
    if (names === undefined) {
      names = new Map();
      servers.set(call.server, names);
    }
    let refs = names.get(call.name);
    if (refs === undefined) {
      refs = bucketsFor(this.#rules, call);
      if (names.size < MAX_NAMES) names.set(call.name, refs);
    }
    return refs;
  }
}
