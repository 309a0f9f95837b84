import type { CircuitState } from "./breaker.ts";

export type ServerHealth = "ready" | "degraded" | "down";

export interface ReplicaHealth {
  index: number;
  ready: boolean;
  inFlight: number;
  circuit: CircuitState;
  ejected: boolean;
  pingMs?: number;
  pingError?: string;
}

export interface HealthReport {
  status: ServerHealth;
  /** Why the server is not plainly ready, in words. */
  reasons: string[];
  /** The slowest last ping among replicas, in ms. */
  latencyMs?: number;
  replicas: ReplicaHealth[];
}

/**
 * Tells slow from dead. Down: no replica can take a call (none connected,
 * every ping failing, every circuit open). Degraded: it serves, but some
 * replica is missing, ejected, failing pings or behind an open circuit, or a
 * ping took longer than `slowMs`. Ready otherwise.
 */
export function classify(replicas: ReplicaHealth[], slowMs: number): HealthReport {
  const reasons: string[] = [];
  let latencyMs: number | undefined;
  let serving = 0;
  for (const r of replicas) {
    if (r.pingMs !== undefined && r.pingError === undefined)
      latencyMs = Math.max(latencyMs ?? 0, r.pingMs);
    const problem = replicaProblem(r);
    if (problem === undefined) serving++;
    else reasons.push(replicas.length > 1 ? `replica ${r.index} ${problem}` : problem);
  }
  if (latencyMs !== undefined && latencyMs > slowMs)
    reasons.push(`slow: ping took ${Math.round(latencyMs)} ms (over ${slowMs} ms)`);
  const status: ServerHealth = serving === 0 ? "down" : reasons.length > 0 ? "degraded" : "ready";
  const report: HealthReport = { status, reasons, replicas };
  if (latencyMs !== undefined) report.latencyMs = Math.round(latencyMs);
  return report;
}

function replicaProblem(r: ReplicaHealth): string | undefined {
  if (!r.ready) return "not connected";
  if (r.pingError !== undefined) return `not answering pings (${r.pingError})`;
  if (r.circuit === "open") return "circuit open";
  if (r.ejected) return "ejected";
  return undefined;
}
