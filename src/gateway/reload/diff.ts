import type { ServerConfig, SophiaConfig } from "../../config/types.ts";

export interface ConfigDiff {
  added: string[];
  removed: string[];
  /** Servers whose entry changed: replaced by a new upstream. */
  changed: string[];
  unchanged: string[];
  /** Changed settings a reload cannot apply, in words (the listen address, security, logging). */
  needsRestart: string[];
}

function enabledServers(config: SophiaConfig): Map<string, ServerConfig> {
  return new Map(Object.entries(config.servers).filter(([, server]) => server.enabled));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a reload from `before` to `after` must do. Servers are compared entry
 * by entry (a disabled server counts as absent); everything outside
 * `servers` is only reported when it changed, since it needs a restart.
 */
export function diffConfigs(before: SophiaConfig, after: SophiaConfig): ConfigDiff {
  const old = enabledServers(before);
  const next = enabledServers(after);
  const diff: ConfigDiff = { added: [], removed: [], changed: [], unchanged: [], needsRestart: [] };
  for (const [name, server] of next) {
    const was = old.get(name);
    if (was === undefined) diff.added.push(name);
    else if (same(was, server)) diff.unchanged.push(name);
    else diff.changed.push(name);
  }
  for (const name of old.keys()) if (!next.has(name)) diff.removed.push(name);
  const a = before.gateway;
  const b = after.gateway;
  if (a.host !== b.host || a.port !== b.port)
    diff.needsRestart.push(`listen address ${a.host}:${a.port} -> ${b.host}:${b.port}`);
  for (const key of Object.keys({ ...a, ...b }).sort()) {
    if (key === "host" || key === "port") continue;
    if (!same(a[key as keyof typeof a], b[key as keyof typeof b]))
      diff.needsRestart.push(`gateway.${key}`);
  }
  if (!same(before.log, after.log)) diff.needsRestart.push("log");
  return diff;
}
