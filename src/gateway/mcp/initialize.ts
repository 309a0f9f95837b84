import { SophiaError } from "../../shared/errors.ts";
import { SOPHIA_VERSION } from "../../shared/version.ts";
import type { Scope } from "../session/session.ts";
import type { Upstream } from "../upstream/types.ts";

export const GATEWAY_NAME = "sophia";
export const GATEWAY_VERSION = SOPHIA_VERSION;

/** What `/mcp` offers: everything any upstream can, with list-changed since upstreams come and go. */
const AGGREGATE_CAPABILITIES = {
  tools: { listChanged: true },
  prompts: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  completions: {},
  logging: {},
};

/** The `initialize` result for a scope, minus the negotiated version. */
export function serverDescription(
  scope: Scope,
  upstreams: Iterable<Upstream>,
): Record<string, unknown> {
  if (scope.kind === "server") {
    const info = scope.upstream.info;
    if (!info) {
      throw new SophiaError(
        "UPSTREAM_UNAVAILABLE",
        `server ${scope.upstream.name} is ${scope.upstream.state}${scope.upstream.lastError ? `: ${scope.upstream.lastError}` : ""}`,
      );
    }
    return {
      capabilities: info.capabilities,
      serverInfo: info.serverInfo,
      ...(info.instructions ? { instructions: info.instructions } : {}),
    };
  }
  const notes: string[] = [];
  for (const upstream of upstreams) {
    if (upstream.info?.instructions)
      notes.push(`[${upstream.config.prefix}] ${upstream.info.instructions}`);
  }
  return {
    capabilities: AGGREGATE_CAPABILITIES,
    serverInfo: { name: GATEWAY_NAME, title: "Sophia MCP gateway", version: GATEWAY_VERSION },
    ...(notes.length > 0 ? { instructions: notes.join("\n\n") } : {}),
  };
}
