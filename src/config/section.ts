/**
 * Sections of `sophia.yaml` that other parts own (`flows`, `deploy`, parts of
 * `gateway`) are validated by those parts with their own zod schemas. This
 * keeps the config part free of their imports while their errors still point
 * at `file:line:col` like every other configuration problem.
 */
import type { z } from "zod";
import { ConfigError } from "./config-error.ts";
import { IssueList } from "./issues.ts";
import type { Locate } from "./locate.ts";
import type { ConfigPath } from "./path.ts";
import type { SophiaConfig } from "./types.ts";

interface Origin {
  locate: Locate;
  substituted: ReadonlySet<string>;
}

const origins = new WeakMap<SophiaConfig, Origin>();

/** Called by the parser: remembers where a configuration's values sit in its file. */
export function rememberOrigin(config: SophiaConfig, origin: Origin): SophiaConfig {
  origins.set(config, origin);
  return config;
}

/**
 * Validates `value` (found at `path` in `config`) with `schema` and returns
 * the parsed result; every problem is reported at once as a ConfigError.
 * Values filled in from the environment are never echoed in messages.
 * @throws ConfigError with code CONFIG_INVALID
 */
export function validateSection<T>(
  config: SophiaConfig,
  path: ConfigPath,
  value: unknown,
  schema: z.ZodType<T>,
  knownKeys: readonly string[] = [],
): T {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  const origin = origins.get(config);
  const issues = new IssueList(origin?.substituted);
  issues.fromZod(parsed.error, path, knownKeys);
  const file = config.file ?? "(embedded defaults)";
  const located = issues.items.map((issue) => ({ ...origin?.locate(issue.path), ...issue }));
  throw new ConfigError("CONFIG_INVALID", file, located);
}
