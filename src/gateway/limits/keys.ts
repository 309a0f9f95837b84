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
