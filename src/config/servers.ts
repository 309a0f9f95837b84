/** The `servers` section of sophia.yaml: strict entries, one of command / url / builtin. */
import { z } from "zod";
import { LIMITS } from "./defaults.ts";
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

const entryShape = {
  command: nonEmpty.optional(),
  args: stringList.optional(),
  env: stringMap.optional(),
  cwd: nonEmpty.optional(),
  pool: integer(LIMITS.pool.min, LIMITS.pool.max).optional(),
  url: httpUrl.optional(),
  headers: stringMap.optional(),
  transport: transport.optional(),
  type: transport.optional(),
  connections: integer(LIMITS.connections.min, LIMITS.connections.max).optional(),
  builtin: builtinName.optional(),
  prefix: z.string().optional(),
  enabled: flag.optional(),
  timeout: duration(1).optional(),
  maxConcurrency: integer(LIMITS.maxConcurrency.min, LIMITS.maxConcurrency.max).optional(),
  connectTimeout: duration(1).optional(),
};
const ENTRY_KEYS = Object.keys(entryShape);
const entrySchema = z.strictObject(entryShape);

const STDIO_ONLY = ["args", "env", "cwd", "pool"];
const HTTP_ONLY = ["headers", "connections"];
const ROOTS = { command: "stdio", url: "http", builtin: "builtin" } as const;
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
      const { timeout, connectTimeout, type, ...rest } = parsed.data;
      const values = {
        ...rest,
        transport: rest.transport ?? type,
        timeoutMs: timeout,
        connectTimeoutMs: connectTimeout,
      };
      servers.push([name, buildServer(name, kind, values, file)]);
    }
  }
  return Object.fromEntries(servers);
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
