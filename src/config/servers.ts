/** The `servers` section of sophia.yaml: strict entries, one of command / url / builtin. */
import { z } from "zod";
import { LIMITS, RESILIENCE_DEFAULTS } from "./defaults.ts";
import {
  duration,
  field,
  flag,
  httpUrl,
  integer,
  nonEmpty,
  stringList,
  stringMap,
  transport,
  transportName,
} from "./fields.ts";
import type { IssueList } from "./issues.ts";
import { checkServerName, NAME_PATTERN } from "./names.ts";
import type { ConfigPath } from "./path.ts";
import { buildServer, type ServerKind } from "./server-build.ts";
import { closestKey } from "./suggest.ts";
import type { ServerConfig } from "./types.ts";
import { isPlainObject, withoutNulls } from "./values.ts";

const builtinName = field('the name of a built-in server such as "knowledge"', (value) =>
  typeof value === "string" && NAME_PATTERN.test(value) ? value : undefined,
);

/** A share from 0 to 1 (retry budget, failure rate). */
const fraction = field("a number from 0 to 1 such as 0.2", (value) => {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && number >= 0 && number <= 1 ? number : undefined;
});

/** `url: [a, b]` lists replicas of one server. */
const urlList = z.array(httpUrl).min(1);
const isUrl = (value: unknown) => httpUrl.safeParse(value).success;
const urlOrList = z.unknown().transform((value, ctx): string | string[] => {
  if (Array.isArray(value) && value.length > 0 && value.every(isUrl)) return value as string[];
  if (typeof value === "string" && isUrl(value)) return value;
  const message = Array.isArray(value)
    ? "expected a list of absolute http:// or https:// URLs (one per replica)"
    : "expected an absolute http:// or https:// URL";
  ctx.addIssue({ code: "custom", message, input: value });
  return z.NEVER;
});

const breakerSchema = z.strictObject({
  failures: integer(1, 1000).optional(),
  failureRate: fraction.optional(),
  minCalls: integer(1, 100_000).optional(),
  window: duration(1).optional(),
  cooldown: duration(1).optional(),
  halfOpenProbes: integer(1, 100).optional(),
});
const retrySchema = z.strictObject({
  attempts: integer(1, 10).optional(),
  budget: fraction.optional(),
  backoff: duration(1).optional(),
  maxBackoff: duration(1).optional(),
});
const outlierSchema = z.strictObject({
  failures: integer(1, 1000).optional(),
  latencyFactor: integer(2, 1000).optional(),
  ejection: duration(1).optional(),
  maxEjection: duration(1).optional(),
});
const healthSchema = z.strictObject({
  interval: duration(100).optional(),
  timeout: duration(1).optional(),
  slow: duration(1).optional(),
});

const entryShape = {
  command: nonEmpty.optional(),
  args: stringList.optional(),
  env: stringMap.optional(),
  cwd: nonEmpty.optional(),
  pool: integer(LIMITS.pool.min, LIMITS.pool.max).optional(),
  url: urlOrList.optional(),
  urls: urlList.optional(),
  headers: stringMap.optional(),
  transport: transport.optional(),
  type: transport.optional(),
  connections: integer(LIMITS.connections.min, LIMITS.connections.max).optional(),
  builtin: builtinName.optional(),
  /** Settings of a built-in server; the server validates them (validateSection). */
  options: z.record(z.string(), z.unknown()).optional(),
  prefix: z.string().optional(),
  enabled: flag.optional(),
  timeout: duration(1).optional(),
  maxConcurrency: integer(LIMITS.maxConcurrency.min, LIMITS.maxConcurrency.max).optional(),
  connectTimeout: duration(1).optional(),
  breaker: breakerSchema.optional(),
  retry: retrySchema.optional(),
  outlier: outlierSchema.optional(),
  health: healthSchema.optional(),
  listTimeout: duration(1).optional(),
};
const ENTRY_KEYS = Object.keys(entryShape);
const entrySchema = z.strictObject(entryShape);

const STDIO_ONLY = ["args", "env", "cwd", "pool"];
const HTTP_ONLY = ["headers", "connections", "urls"];
const ROOTS = { command: "stdio", url: "http", urls: "http", builtin: "builtin" } as const;
const ROOT_RULE = 'a server has exactly one of "command" (stdio), "url" (HTTP) or "builtin"';

export function readServers(
  raw: unknown,
  file: string,
  issues: IssueList,
): Record<string, ServerConfig> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) {
    issues.expected(["servers"], "expected a mapping of server names to entries", raw);
    return {};
  }
  const servers: [string, ServerConfig][] = [];
  for (const [name, value] of Object.entries(raw)) {
    const path = ["servers", name];
    if (!checkServerName(name, "servers", issues)) continue;
    if (!isPlainObject(value)) {
      issues.expected(path, `expected a mapping (${ROOT_RULE})`, value);
      continue;
    }
    const entry = withoutNulls(value) as Record<string, unknown>;
    const parsed = entrySchema.safeParse(entry, { reportInput: true });
    if (!parsed.success) issues.fromZod(parsed.error, path, ENTRY_KEYS);
    const kind = kindOf(entry, path, issues);
    if (parsed.success && kind !== undefined) {
      const { timeout, connectTimeout, type, url, urls, ...rest } = parsed.data;
      const { breaker, retry, outlier, health, listTimeout, ...base } = rest;
      const list = urls ?? (Array.isArray(url) ? url : undefined);
      const values = {
        ...base,
        url: list?.[0] ?? (url as string | undefined),
        transport: rest.transport ?? type,
        timeoutMs: timeout,
        connectTimeoutMs: connectTimeout,
      };
      const server = buildServer(name, kind, values, file);
      if (list !== undefined && list.length > 1 && server.transport !== "stdio")
        Object.assign(server, { urls: list });
      Object.assign(server, resilienceKeys({ breaker, retry, outlier, health, listTimeout }));
      servers.push([name, server]);
    }
  }
  return Object.fromEntries(servers);
}

type Parsed = z.infer<typeof entrySchema>;

/** Resilience sections as typed config: each given section filled up with the defaults. */
function resilienceKeys(
  keys: Pick<Parsed, "breaker" | "retry" | "outlier" | "health" | "listTimeout">,
): Partial<ServerConfig> {
  const d = RESILIENCE_DEFAULTS;
  const out: Partial<ServerConfig> = {};
  const { breaker: b, retry: r, outlier: o, health: h } = keys;
  if (b)
    out.breaker = {
      failures: b.failures ?? d.breaker.failures,
      failureRate: b.failureRate ?? d.breaker.failureRate,
      minCalls: b.minCalls ?? d.breaker.minCalls,
      windowMs: b.window ?? d.breaker.windowMs,
      cooldownMs: b.cooldown ?? d.breaker.cooldownMs,
      halfOpenProbes: b.halfOpenProbes ?? d.breaker.halfOpenProbes,
    };
  if (r)
    out.retry = {
      attempts: r.attempts ?? d.retry.attempts,
      budget: r.budget ?? d.retry.budget,
      backoffMs: r.backoff ?? d.retry.backoffMs,
      maxBackoffMs: r.maxBackoff ?? d.retry.maxBackoffMs,
    };
  if (o)
    out.outlier = {
      failures: o.failures ?? d.outlier.failures,
      latencyFactor: o.latencyFactor ?? d.outlier.latencyFactor,
      ejectionMs: o.ejection ?? d.outlier.ejectionMs,
      maxEjectionMs: o.maxEjection ?? d.outlier.maxEjectionMs,
    };
  if (h)
    out.health = {
      intervalMs: h.interval ?? d.health.intervalMs,
      timeoutMs: h.timeout ?? d.health.timeoutMs,
      slowMs: h.slow ?? d.health.slowMs,
    };
  if (keys.listTimeout !== undefined) out.listTimeoutMs = keys.listTimeout;
  return out;
}

/** Which kind of server an entry is, reporting keys that belong to another kind. */
function kindOf(
  entry: Record<string, unknown>,
  path: ConfigPath,
  issues: IssueList,
): ServerKind | undefined {
  const roots = (Object.keys(ROOTS) as (keyof typeof ROOTS)[]).filter(
    (key) => entry[key] !== undefined,
  );
  if (roots.length === 0 && misspeltRoot(entry)) return undefined;
  if (roots.length !== 1) {
    const found =
      roots.length === 0 ? "none of them" : roots.map((key) => `"${key}"`).join(" and ");
    issues.add(path, `${ROOT_RULE}; found ${found}`);
    return undefined;
  }
  const kind = ROOTS[roots[0]!];
  if (kind !== "builtin" && entry.options !== undefined)
    issues.add([...path, "options"], 'only applies to built-in servers ("builtin"); remove it');
  for (const key of kind === "stdio"
    ? HTTP_ONLY
    : kind === "http"
      ? STDIO_ONLY
      : [...STDIO_ONLY, ...HTTP_ONLY]) {
    if (entry[key] === undefined) continue;
    const owner = STDIO_ONLY.includes(key) ? 'stdio servers ("command")' : 'HTTP servers ("url")';
    issues.add([...path, key], `only applies to ${owner}; remove it`);
  }
  checkTransport(entry, kind, path, issues);
  return kind;
}

/** `comand: x` is already reported as an unknown key; "found none of them" would only add noise. */
function misspeltRoot(entry: Record<string, unknown>): boolean {
  const roots: readonly string[] = Object.keys(ROOTS);
  return Object.keys(entry).some(
    (key) => !ENTRY_KEYS.includes(key) && roots.includes(closestKey(key, ENTRY_KEYS) ?? ""),
  );
}

function checkTransport(
  entry: Record<string, unknown>,
  kind: ServerKind,
  path: ConfigPath,
  issues: IssueList,
): void {
  const named = { transport: transportName(entry.transport), type: transportName(entry.type) };
  for (const [key, name] of Object.entries(named)) {
    if (name === undefined) continue;
    if (kind === "builtin")
      issues.add([...path, key], "does not apply to builtin servers; remove it");
    else if (kind === "stdio" && name !== "stdio")
      issues.add([...path, key], `"${name}" needs "url", not "command"`);
    else if (kind === "http" && name === "stdio")
      issues.add([...path, key], '"stdio" needs "command", not "url"');
  }
  if (named.transport !== undefined && named.type !== undefined && named.transport !== named.type) {
    issues.add([...path, "type"], 'disagrees with "transport"; keep only one of them');
  }
}
