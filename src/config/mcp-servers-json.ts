/**
 * The `mcpServers` files MCP clients already have, read unchanged:
 * Claude Desktop / Cursor / Claude Code `{ "mcpServers": { … } }` and VS Code's
 * `.vscode/mcp.json` `{ "servers": { … }, "inputs": [ … ] }`. Keys Sophia does
 * not use (`autoApprove`, `alwaysAllow`, `timeout`, `description`, …) are
 * ignored; `disabled: true` turns a server off. Windsurf's `serverUrl` is read
 * as `url`.
 */
import { z } from "zod";
import { flag, stringList, stringMap, transportName } from "./fields.ts";
import type { IssueList } from "./issues.ts";
import { checkServerName } from "./names.ts";
import type { ConfigPath } from "./path.ts";
import { buildServer, type EntryValues } from "./server-build.ts";
import type { ServerConfig } from "./types.ts";
import { isPlainObject, withoutNulls } from "./values.ts";

export type ClientSection = "mcpServers" | "servers";

const clientShape = {
  command: z.string().optional(),
  args: stringList.optional(),
  env: stringMap.optional(),
  cwd: z.string().optional(),
  url: z.string().optional(),
  serverUrl: z.string().optional(),
  headers: stringMap.optional(),
  type: z.string().optional(),
  transport: z.string().optional(),
  disabled: flag.optional(),
  enabled: flag.optional(),
};
const CLIENT_KEYS = Object.keys(clientShape);
const clientEntry = z.looseObject(clientShape);

/**
 * Checks value types and keeps only the keys Sophia uses, so that `${…}` in
 * ignored keys (descriptions, other tools' settings) is never interpolated.
 */
export function projectClientFile(
  top: Record<string, unknown>,
  section: ClientSection,
  issues: IssueList,
): Record<string, Record<string, unknown>> {
  const raw = top[section] ?? {};
  if (!isPlainObject(raw)) {
    issues.expected([section], "expected a mapping of server names to entries", raw);
    return {};
  }
  const projected: [string, Record<string, unknown>][] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (!checkServerName(name, section, issues)) continue;
    const entry = withoutNulls(value);
    const parsed = clientEntry.safeParse(entry, { reportInput: true });
    if (!parsed.success) issues.fromZod(parsed.error, [section, name], CLIENT_KEYS);
    else projected.push([name, pick(parsed.data as Record<string, unknown>, CLIENT_KEYS)]);
  }
  return Object.fromEntries(projected);
}

function pick(entry: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    keys.filter((key) => entry[key] !== undefined).map((key) => [key, entry[key]]),
  );
}

/** Builds servers from projected (and interpolated) entries. */
export function readClientServers(
  entries: Record<string, Record<string, unknown>>,
  section: ClientSection,
  file: string,
  issues: IssueList,
): Record<string, ServerConfig> {
  const servers: [string, ServerConfig][] = [];
  for (const [name, entry] of Object.entries(entries)) {
    const server = readClientEntry(name, entry as ClientEntry, [section, name], file, issues);
    if (server !== undefined) servers.push([name, server]);
  }
  return Object.fromEntries(servers);
}

type ClientEntry = z.infer<typeof clientEntry>;

function readClientEntry(
  name: string,
  entry: ClientEntry,
  path: ConfigPath,
  file: string,
  issues: IssueList,
): ServerConfig | undefined {
  const urlKey = entry.url !== undefined ? "url" : "serverUrl";
  const url = entry.url ?? entry.serverUrl;
  const declared = declaredTransport(entry, path, issues);
  if ((url === undefined) === (entry.command === undefined)) {
    const found = url === undefined ? "neither" : "both";
    issues.add(
      path,
      `expected either "command" (a stdio server) or "url" (an HTTP server); found ${found}`,
    );
    return undefined;
  }
  const enabled = entry.disabled === true ? false : (entry.enabled ?? true);
  if (url !== undefined) {
    if (declared === "stdio") issues.add([...path, "type"], '"stdio" needs "command", not "url"');
    if (!isHttpUrl(url))
      issues.expected([...path, urlKey], "expected an absolute http:// or https:// URL", url);
    const transport =
      declared ?? (isHttpUrl(url) && new URL(url).pathname.endsWith("/sse") ? "sse" : undefined);
    const values: EntryValues = { url, headers: entry.headers, transport, enabled };
    return buildServer(name, "http", values, file);
  }
  if (declared !== undefined && declared !== "stdio") {
    issues.add([...path, "type"], `"${declared}" needs "url", not "command"`);
  }
  if (entry.command?.trim() === "")
    issues.expected([...path, "command"], "expected a non-empty string", "");
  const values: EntryValues = {
    command: entry.command,
    args: entry.args,
    env: entry.env,
    cwd: entry.cwd || undefined,
    enabled,
  };
  return buildServer(name, "stdio", values, file);
}

function declaredTransport(entry: ClientEntry, path: ConfigPath, issues: IssueList) {
  const key = entry.type !== undefined ? "type" : "transport";
  const value = entry[key];
  if (value === undefined) return undefined;
  const name = transportName(value);
  if (name === undefined)
    issues.expected([...path, key], 'expected one of "stdio", "http", "sse"', value);
  return name;
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const protocol = new URL(value).protocol;
  return protocol === "http:" || protocol === "https:";
}
