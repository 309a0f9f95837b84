/**
 * Which of the accepted layouts a parsed file uses, decided from its content:
 *
 * 1. any of `gateway`, `log`, `flows`, `deploy` at the top → sophia.yaml;
 * 2. else a top-level `mcpServers` → a client file (Claude Desktop, Cursor, …);
 * 3. else `servers` together with `inputs` → VS Code's mcp.json;
 * 4. else only `servers` (and `$schema`), every entry with `"type"` set to
 *    `stdio`, `http` or `sse` and no Sophia-only key (`prefix`, `timeout`,
 *    `pool`, …) → VS Code's mcp.json;
 * 5. anything else → sophia.yaml (whose strict checks then explain problems).
 */
import { isPlainObject } from "./values.ts";

export type Layout = "sophia" | "mcpServers" | "vscode";

const SOPHIA_SECTIONS = ["gateway", "log", "flows", "deploy"];
const SOPHIA_ENTRY_KEYS = [
  "builtin",
  "prefix",
  "enabled",
  "maxConcurrency",
  "connectTimeout",
  "pool",
  "connections",
  "transport",
  "timeout",
];
const VSCODE_TYPES = ["stdio", "http", "sse"];

export function detectLayout(top: Record<string, unknown>): Layout {
  if (SOPHIA_SECTIONS.some((key) => key in top)) return "sophia";
  if ("mcpServers" in top) return "mcpServers";
  if (!("servers" in top)) return "sophia";
  if ("inputs" in top) return "vscode";
  const onlyServers = Object.keys(top).every((key) => key === "servers" || key === "$schema");
  const servers = top.servers;
  if (!onlyServers || !isPlainObject(servers)) return "sophia";
  const entries = Object.values(servers);
  const vscodeLike = (entry: unknown) =>
    isPlainObject(entry) &&
    VSCODE_TYPES.includes(entry.type as string) &&
    !SOPHIA_ENTRY_KEYS.some((key) => key in entry);
  return entries.length > 0 && entries.every(vscodeLike) ? "vscode" : "sophia";
}
