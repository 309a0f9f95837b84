import type { ReplicaHealth, ServerHealth } from "../resilience/health-status.ts";
import type { Upstream } from "../upstream/types.ts";

export interface UpstreamReadiness {
  state: string;
  /** ready, degraded (slow, some replicas ejected or missing: still serving) or down. */
  health: ServerHealth;
  inFlight: number;
  error?: string;
  server?: string;
  /** The slowest last health ping, in ms. */
  latencyMs?: number;
  reasons?: string[];
  replicas?: ReplicaHealth[];
}

export interface Readiness {
  ready: boolean;
  draining: boolean;
  upstreams: Record<string, UpstreamReadiness>;
}

/**
 * Ready when not draining and no enabled upstream is down: a degraded server
 * (slow, or serving with fewer replicas) still takes calls. Every server is
 * listed with its health, last error and ping latency, so an operator sees
 * which one is slow and which one is dead.
 */
export function readiness(upstreams: Iterable<Upstream>, draining: boolean): Readiness {
  const report: Readiness = { ready: !draining, draining, upstreams: {} };
  for (const u of upstreams) {
    const entry = describe(u);
    report.upstreams[u.name] = entry;
    if (entry.health === "down") report.ready = false;
  }
  return report;
}

function describe(u: Upstream): UpstreamReadiness {
  const health = u.health?.();
  const status = health?.status ?? (u.state === "ready" ? "ready" : "down");
  const entry: UpstreamReadiness = { state: u.state, health: status, inFlight: u.inFlight };
  if (u.lastError !== undefined && u.state !== "ready") entry.error = u.lastError;
  if (u.info) entry.server = `${u.info.serverInfo.name} ${u.info.serverInfo.version}`;
  if (health === undefined) return entry;
  if (health.latencyMs !== undefined) entry.latencyMs = health.latencyMs;
  if (health.reasons.length > 0) entry.reasons = health.reasons;
  if (entry.error === undefined && status !== "ready" && health.reasons[0] !== undefined)
    entry.error = health.reasons[0];
  entry.replicas = health.replicas;
  return entry;
}
