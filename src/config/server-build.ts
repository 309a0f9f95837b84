/** Turns validated entry values (either file format) into the typed `ServerConfig`. */
import { dirname, isAbsolute, resolve } from "node:path";
import { DEFAULTS } from "./defaults.ts";
import type { ServerConfig, UpstreamCommon } from "./types.ts";

export type ServerKind = "stdio" | "http" | "builtin";

/** Entry keys after unit conversion; everything optional, defaults applied by `buildServer`. */
export interface EntryValues {
  command?: string | undefined;
  args?: string[] | undefined;
  env?: Record<string, string> | undefined;
  cwd?: string | undefined;
  pool?: number | undefined;
  url?: string | undefined;
  headers?: Record<string, string> | undefined;
  transport?: "stdio" | "streamable-http" | "sse" | undefined;
  connections?: number | undefined;
  builtin?: string | undefined;
  options?: Record<string, unknown> | undefined;
  prefix?: string | undefined;
  enabled?: boolean | undefined;
  timeoutMs?: number | undefined;
  maxConcurrency?: number | undefined;
  connectTimeoutMs?: number | undefined;
}

/** `file` anchors a relative `cwd`: it is taken from the configuration file's directory. */
export function buildServer(
  name: string,
  kind: ServerKind,
  values: EntryValues,
  file: string,
): ServerConfig {
  const common: UpstreamCommon = {
    prefix: values.prefix ?? name,
    enabled: values.enabled ?? true,
    timeoutMs: values.timeoutMs ?? DEFAULTS.timeoutMs,
    maxConcurrency: values.maxConcurrency ?? DEFAULTS.maxConcurrency,
    connectTimeoutMs: values.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
  };
  if (kind === "builtin")
    return {
      transport: "builtin",
      builtin: values.builtin ?? name,
      options: values.options ?? {},
      ...common,
    };
  if (kind === "http") {
    return {
      transport: values.transport === "sse" ? "sse" : "streamable-http",
      url: values.url ?? "",
      headers: values.headers ?? {},
      connections: values.connections ?? DEFAULTS.connections,
      ...common,
    };
  }
  return {
    transport: "stdio",
    command: values.command ?? "",
    args: values.args ?? [],
    env: values.env ?? {},
    cwd:
      values.cwd === undefined || isAbsolute(values.cwd)
        ? values.cwd
        : resolve(dirname(file), values.cwd),
    pool: values.pool ?? DEFAULTS.pool,
    ...common,
  };
}
