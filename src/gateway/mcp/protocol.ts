/** Protocol revisions the gateway speaks downstream, oldest first. */
export const LEGACY_VERSIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"] as const;
/** Revisions without `initialize` or sessions: every request carries its own `_meta`. */
export const MODERN_VERSIONS = ["2026-07-28"] as const;
export const LATEST_LEGACY_VERSION = "2025-11-25";

export const PROTOCOL_VERSION_META_KEY = "io.modelcontextprotocol/protocolVersion";
export const CLIENT_CAPABILITIES_META_KEY = "io.modelcontextprotocol/clientCapabilities";

export function isSupportedVersion(version: string): boolean {
  return (LEGACY_VERSIONS as readonly string[]).includes(version) || isModernVersion(version);
}

export function isModernVersion(version: string | undefined): boolean {
  return version !== undefined && (MODERN_VERSIONS as readonly string[]).includes(version);
}

/** The version the gateway answers `initialize` with: the client's if we speak it, else our latest. */
export function negotiateVersion(requested: unknown): string {
  return typeof requested === "string" && (LEGACY_VERSIONS as readonly string[]).includes(requested)
    ? requested
    : LATEST_LEGACY_VERSION;
}

/** MCP log levels in increasing severity (RFC 5424 order). */
export const LOG_LEVELS = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && (LOG_LEVELS as readonly string[]).includes(value);
}

/** True when a message at `level` passes a session's `logging/setLevel` threshold. */
export function logPasses(level: unknown, threshold: LogLevel | undefined): boolean {
  if (threshold === undefined) return true;
  if (!isLogLevel(level)) return true;
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);
}
