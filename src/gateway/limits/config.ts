/** `gateway.limits` in sophia.yaml, validated with file:line:col errors. */
import { z } from "zod";
import { validateSection } from "../../config/index.ts";
import type { SophiaConfig } from "../../config/types.ts";
import type { Limit } from "./bucket.ts";

export const DIMENSIONS = ["key", "subject", "server", "tool"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface LimitRule {
  readonly name: string;
  /** Each distinct combination of these values gets its own bucket; empty: one bucket for all. */
  readonly per: readonly Dimension[];
  readonly servers: readonly string[];
  readonly tools: readonly string[];
  readonly limit: Limit;
}

export interface LimitsConfig {
  readonly store: "memory" | "redis";
  /** What a call gets while the Redis store is unreachable. */
  readonly onStoreDown: "allow" | "deny";
  readonly rules: readonly LimitRule[];
}

const RATE_UNITS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};
const text = z.string().trim().min(1);
const globs = z.union([text, z.array(text)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** `10/s`, `600/min`, `5000/h` → tokens per millisecond. */
const rate = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*([a-z]+)\s*$/.exec(String(value));
  const unit = match ? RATE_UNITS[match[2]!] : undefined;
  const count = match ? Number(match[1]) : 0;
  if (!match || unit === undefined || count <= 0) {
    ctx.addIssue({
      code: "custom",
      message: 'expected a rate such as "10/s", "600/min" or "5000/h"',
    });
    return z.NEVER;
  }
  return count / unit;
});

const quota = z.string().transform((value, ctx) => {
  const match = /^\s*(\d+)\s*\/\s*(day|month)\s*$/.exec(value);
  if (!match || Number(match[1]) < 1) {
    ctx.addIssue({
      code: "custom",
      message: 'expected a quota such as "1000/day" or "20000/month"',
    });
    return z.NEVER;
  }
  return { limit: Number(match[1]), period: match[2] as "day" | "month" };
});

const ruleShape = {
  name: text.optional(),
  per: z.array(z.enum(DIMENSIONS)).default([]),
  servers: globs.default(["*"]),
  tools: globs.default(["*"]),
  rate: rate.optional(),
  burst: z.number().int().min(1).max(1_000_000).optional(),
  quota: quota.optional(),
};

const limitsShape = {
  store: z.enum(["memory", "redis"]).default("memory"),
  onStoreDown: z.enum(["allow", "deny"]).default("allow"),
  rules: z.array(z.strictObject(ruleShape)).min(1),
};

type RawRule = z.output<z.ZodObject<typeof ruleShape>>;

function toLimit(rule: RawRule, ctx: z.RefinementCtx): Limit {
  if ((rule.rate === undefined) === (rule.quota === undefined)) {
    ctx.addIssue({ code: "custom", message: 'a rule needs exactly one of "rate" and "quota"' });
    return { kind: "quota", limit: 1, period: "day" };
  }
  if (rule.quota) return { kind: "quota", ...rule.quota };
  const ratePerMs = rule.rate as number;
  // Without a burst, a second's worth of calls (at least one) may come at once.
  const burst = rule.burst ?? Math.max(1, Math.ceil(ratePerMs * 1000));
  return { kind: "bucket", ratePerMs, burst };
}

const schema = z.strictObject(limitsShape).transform((value, ctx) => ({
  store: value.store,
  onStoreDown: value.onStoreDown,
  rules: value.rules.map(
    (rule, index): LimitRule => ({
      name: rule.name ?? `rules[${index}]`,
      per: [...new Set(rule.per)],
      servers: rule.servers,
      tools: rule.tools,
      limit: toLimit(rule, ctx),
    }),
  ),
}));

/** Undefined when `gateway.limits` is absent: no call is limited. */
export function readLimits(config: SophiaConfig): LimitsConfig | undefined {
  const raw = config.gateway.limits;
  if (raw === undefined) return undefined;
  return validateSection(config, ["gateway", "limits"], raw, schema, Object.keys(limitsShape));
}
