/** `gateway.cache` in sophia.yaml, validated with file:line:col errors. */
import { z } from "zod";
import { parseDuration, parseSize, validateSection } from "../../config/index.ts";
import type { SophiaConfig } from "../../config/types.ts";
import { matchesAny } from "../policy/glob.ts";

export interface CacheRule {
  readonly servers: readonly string[];
  readonly tools: readonly string[];
  readonly ttlMs: number;
  /** The same result for every caller (public data): the key leaves out who is asking. */
  readonly shared: boolean;
}

export interface CacheConfig {
  readonly store: "memory" | "redis";
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Opt-in: only tools matched by a rule (and annotated readOnlyHint) are cached. */
  readonly rules: readonly CacheRule[];
}

const text = z.string().trim().min(1);
const globs = z.union([text, z.array(text)]).transform((v) => (Array.isArray(v) ? v : [v]));
const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 1) {
    ctx.addIssue({ code: "custom", message: 'expected a duration such as "30s" or "5m"' });
    return z.NEVER;
  }
  return ms;
});
const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === undefined || bytes < 1024) {
    ctx.addIssue({ code: "custom", message: 'expected a size of at least 1kb such as "64mb"' });
    return z.NEVER;
  }
  return bytes;
});

const ruleShape = {
  servers: globs.default(["*"]),
  tools: globs.default(["*"]),
  ttl: duration,
  shared: z.boolean().default(false),
};

const cacheShape = {
  store: z.enum(["memory", "redis"]).default("memory"),
  maxEntries: z.number().int().min(1).max(10_000_000).default(10_000),
  maxSize: size.default(64 * 1024 * 1024),
  rules: z.array(z.strictObject(ruleShape)).min(1),
};

/** Undefined when `gateway.cache` is absent: nothing is cached. */
export function readCache(config: SophiaConfig): CacheConfig | undefined {
  const raw = config.gateway.cache;
  if (raw === undefined) return undefined;
  const schema = z.strictObject(cacheShape);
  const v = validateSection(config, ["gateway", "cache"], raw, schema, Object.keys(cacheShape));
  return {
    store: v.store,
    maxEntries: v.maxEntries,
    maxBytes: v.maxSize,
    rules: v.rules.map((r) => ({
      servers: r.servers,
      tools: r.tools,
      ttlMs: r.ttl,
      shared: r.shared,
    })),
  };
}

/** The first rule naming this tool; undefined: not cached. */
export function ruleFor(config: CacheConfig, server: string, tool: string): CacheRule | undefined {
  return config.rules.find((r) => matchesAny(r.servers, server) && matchesAny(r.tools, tool));
}
