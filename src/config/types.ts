/**
 * The typed configuration every part receives after `loadConfig` has parsed,
 * interpolated and validated a file. Nothing downstream reads files or
 * `process.env`; it gets one of these.
 */

/** Limits and behaviour shared by every upstream kind. */
export interface UpstreamCommon {
  /** Namespace used in aggregated names (`<prefix><separator><tool>`); defaults to the server's key. */
  prefix: string;
  /** Disabled servers are validated but not started. */
  enabled: boolean;
  /** Per-call timeout towards this upstream, in milliseconds. */
  timeoutMs: number;
  /** Calls in flight to this upstream at once (per replica); further calls queue. */
  maxConcurrency: number;
  /** Startup/initialize timeout in milliseconds. */
  connectTimeoutMs: number;
  /** Resilience settings; absent means the defaults (`RESILIENCE_DEFAULTS`). */
  breaker?: BreakerConfig;
  retry?: RetryConfig;
  outlier?: OutlierConfig;
  health?: HealthConfig;
  /** How long a tools/prompts/resources list waits for this server before answering without it. */
  listTimeoutMs?: number;
}

/** Circuit breaker per replica: opens on consecutive failures or a failure rate. */
export interface BreakerConfig {
  failures: number;
  /** Share of failed calls (0–1) over `windowMs` that opens the circuit, once `minCalls` were seen. */
  failureRate: number;
  minCalls: number;
  windowMs: number;
  cooldownMs: number;
  halfOpenProbes: number;
}

/** Retries of calls that are safe to repeat (read-only or idempotent tools, lists, reads). */
export interface RetryConfig {
  /** Tries per call, the first included; 1 turns retries off. */
  attempts: number;
  /** Retries allowed as a share of calls over the last `budgetWindowMs`. */
  budget: number;
  backoffMs: number;
  maxBackoffMs: number;
}

/** Replicas ejected from load balancing for failing or being much slower than their peers. */
export interface OutlierConfig {
  failures: number;
  /** A replica whose latency is this many times its peers' median is ejected. */
  latencyFactor: number;
  ejectionMs: number;
  maxEjectionMs: number;
}

/** The periodic MCP ping of every replica. */
export interface HealthConfig {
  intervalMs: number;
  timeoutMs: number;
  /** A ping slower than this marks the server degraded. */
  slowMs: number;
}

export interface StdioServerConfig extends UpstreamCommon {
  transport: "stdio";
  command: string;
  args: string[];
  /** Extra environment for the child; merged over a minimal inherited set (PATH, HOME, …). */
  env: Record<string, string>;
  cwd: string | undefined;
  /** Number of processes sharing the load; 1 by default. Never one per session. */
  pool: number;
}

export interface HttpServerConfig extends UpstreamCommon {
  /** `streamable-http` (MCP 2025-03-26 and later) or `sse` (legacy HTTP+SSE, 2024-11-05). */
  transport: "streamable-http" | "sse";
  url: string;
  /** Every replica's URL when several are configured (`url: [a, b]` or `urls:`); `url` is the first. */
  urls?: string[];
  headers: Record<string, string>;
  /** Keep-alive connections kept open to this upstream. */
  connections: number;
}

export interface BuiltinServerConfig extends UpstreamCommon {
  transport: "builtin";
  builtin: string;
  /** The entry's `options:` map, validated by the built-in server itself; empty when absent. */
  options: Record<string, unknown>;
}

export type ServerConfig = StdioServerConfig | HttpServerConfig | BuiltinServerConfig;

/** Gateway sections the gateway validates itself (auth, TLS, policies, upstream secrets). */
export const SECURITY_KEYS = ["auth", "tls", "policies", "secrets"] as const;
export type SecurityKey = (typeof SECURITY_KEYS)[number];
export type GatewaySecurity = Partial<Record<SecurityKey, unknown>>;

/** Traffic sections the gateway validates itself (config.ts in src/gateway/{redis,limits,cache,audit,pinning,tracing}). */
export const TRAFFIC_KEYS = ["redis", "limits", "cache", "audit", "pinning", "tracing"] as const;
export type TrafficKey = (typeof TRAFFIC_KEYS)[number];
export type GatewayTraffic = Partial<Record<TrafficKey, unknown>>;

export interface GatewayConfig extends GatewaySecurity, GatewayTraffic {
  host: string;
  port: number;
  /** Joins server prefix and tool/prompt name in `/mcp`; `__` by default. */
  separator: string;
  /** Origins allowed to call from a browser; requests without Origin are always allowed. */
  allowedOrigins: string[];
  /** Largest accepted request body in bytes. */
  maxBodyBytes: number;
  /** Sessions idle longer than this are closed, in milliseconds. */
  sessionIdleMs: number;
  /** Time given to in-flight calls to finish on shutdown, in milliseconds. */
  drainMs: number;
  /** Where 2025-era sessions live: this instance's memory, or Redis shared by instances. */
  sessions: SessionsConfig;
}

/** `gateway.sessions`; docs/scale-out.md. */
export type SessionsConfig =
  | { store: "memory" }
  | {
      store: "redis";
      /** Signs session ids (HMAC-SHA256); the same on every instance. Never logged. */
      secret: string;
      /** Redis URL (`redis://` or `rediss://`). */
      redis: string;
      /** Prefix of the keys and the pub/sub channel; instances sharing sessions use the same one. */
      prefix: string;
    };

export interface LogConfig {
  level: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

export interface SophiaConfig {
  /** Where the configuration came from, for messages. `undefined` for embedded defaults. */
  file: string | undefined;
  /** `sophia` for sophia.yaml, `mcpServers` for a client-style JSON file taken unchanged. */
  format: "sophia" | "mcpServers";
  gateway: GatewayConfig;
  servers: Record<string, ServerConfig>;
  log: LogConfig;
  /** Sections owned by other parts (flow, deploy): validated by them. */
  flows: Record<string, unknown>;
  deploy: Record<string, unknown>;
}
