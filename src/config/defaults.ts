import type {
  BreakerConfig,
  GatewayConfig,
  HealthConfig,
  OutlierConfig,
  RetryConfig,
  SophiaConfig,
} from "./types.ts";

/** Every default in one place; docs/configuration.md lists the same values. */
export const DEFAULTS = {
  host: "127.0.0.1",
  port: 8080,
  separator: "__",
  maxBodyBytes: 4 * 1024 * 1024,
  sessionIdleMs: 30 * 60_000,
  drainMs: 10_000,
  logLevel: "info",
  timeoutMs: 60_000,
  maxConcurrency: 64,
  connectTimeoutMs: 30_000,
  pool: 1,
  connections: 32,
  sessionsRedis: "redis://127.0.0.1:6379",
  sessionsPrefix: "sophia:",
} as const;

/** Per-server resilience defaults; docs/resilience.md lists the same values. */
export const RESILIENCE_DEFAULTS: {
  breaker: BreakerConfig;
  retry: RetryConfig;
  outlier: OutlierConfig;
  health: HealthConfig;
  listTimeoutMs: number;
} = {
  breaker: {
    failures: 5,
    failureRate: 0.5,
    minCalls: 20,
    windowMs: 30_000,
    cooldownMs: 10_000,
    halfOpenProbes: 1,
  },
  retry: { attempts: 3, budget: 0.2, backoffMs: 50, maxBackoffMs: 1000 },
  outlier: { failures: 5, latencyFactor: 5, ejectionMs: 30_000, maxEjectionMs: 300_000 },
  health: { intervalMs: 15_000, timeoutMs: 5000, slowMs: 2000 },
  listTimeoutMs: 5000,
};

/** Bounds for counts; wider values are almost always typos and would exhaust the machine. */
export const LIMITS = {
  pool: { min: 1, max: 32 },
  connections: { min: 1, max: 1024 },
  maxConcurrency: { min: 1, max: 10_000 },
} as const;

export function defaultGateway(): GatewayConfig {
  return {
    host: DEFAULTS.host,
    port: DEFAULTS.port,
    separator: DEFAULTS.separator,
    allowedOrigins: [],
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    sessionIdleMs: DEFAULTS.sessionIdleMs,
    drainMs: DEFAULTS.drainMs,
    sessions: { store: "memory" },
  };
}

/** What `sophia up` runs with when there is no configuration file. */
export function defaultConfig(): SophiaConfig {
  return {
    file: undefined,
    format: "sophia",
    gateway: defaultGateway(),
    servers: {},
    log: { level: DEFAULTS.logLevel },
    flows: {},
    deploy: {},
  };
}
