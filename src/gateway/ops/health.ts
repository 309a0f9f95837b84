import type { Upstream } from "../upstream/types.ts";

export interface Readiness {
  ready: boolean;
  draining: boolean;
  upstreams: Record<string, { state: string; inFlight: number; error?: string; server?: string }>;
}

/**
 * Ready when not draining and every enabled upstream is ready. Upstreams that
 * are down are listed with their last error, so an operator sees which.
 */
export function readiness(upstreams: Iterable<Upstream>, draining: boolean): Readiness {
  const report: Readiness = { ready: !draining, draining, upstreams: {} };
  for (const u of upstreams) {
    const entry: Readiness["upstreams"][string] = { state: u.state, inFlight: u.inFlight };
    if (u.lastError !== undefined && u.state !== "ready") entry.error = u.lastError;
    if (u.info) entry.server = `${u.info.serverInfo.name} ${u.info.serverInfo.version}`;
    report.upstreams[u.name] = entry;
    if (u.state !== "ready") report.ready = false;
  }
  return report;
}
