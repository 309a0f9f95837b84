/** The configuration part: read a file once, hand a typed `SophiaConfig` to everything else. */
export { ConfigError } from "./config-error.ts";
export { DEFAULTS, defaultConfig } from "./defaults.ts";
export { escapeInterpolation, fillSecrets, secretPaths } from "./interpolate.ts";
export type { ConfigIssue } from "./issues.ts";
export { DEFAULT_FILE_NAMES, type LoadConfigOptions, loadConfig } from "./load.ts";
export { type ParseConfigOptions, parseConfigText } from "./parse.ts";
export type { ConfigPath } from "./path.ts";
export { formatPath } from "./path.ts";
export { validateSection } from "./section.ts";
export type {
  BuiltinServerConfig,
  GatewayConfig,
  HttpServerConfig,
  LogConfig,
  ServerConfig,
  SophiaConfig,
  StdioServerConfig,
  UpstreamCommon,
} from "./types.ts";
export { MAX_DURATION_MS, parseDuration, parseSize } from "./units.ts";
