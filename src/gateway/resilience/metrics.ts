import { Counter, Gauge, type Registry } from "prom-client";
import type { Upstream } from "../upstream/types.ts";
import type { CircuitState } from "./breaker.ts";
import type { ResilienceObserver } from "./observer.ts";

const CIRCUIT_VALUE: Record<CircuitState, number> = { closed: 0, "half-open": 1, open: 2 };

/** Prometheus metrics of breakers, retries, ejections and health, in the gateway's registry. */
export class ResilienceMetrics implements ResilienceObserver {
  readonly #transitions: Counter<"server" | "to">;
  readonly #retries: Counter<"server" | "method">;
  readonly #exhausted: Counter<"server">;
  readonly #ejections: Counter<"server" | "reason">;

  constructor(registry: Registry, upstreams: () => Iterable<Upstream>) {
    const registers = [registry];
    this.#transitions = new Counter({
      name: "sophia_circuit_transitions_total",
      help: "Circuit breaker state changes by server and new state",
      labelNames: ["server", "to"],
      registers,
    });
    this.#retries = new Counter({
      name: "sophia_retries_total",
      help: "Calls sent again after a failure (safe to repeat, within the retry budget)",
      labelNames: ["server", "method"],
      registers,
    });
    this.#exhausted = new Counter({
      name: "sophia_retry_budget_exhausted_total",
      help: "Retries refused because the server's retry budget was spent",
      labelNames: ["server"],
      registers,
    });
    this.#ejections = new Counter({
      name: "sophia_replica_ejections_total",
      help: "Replicas taken out of load balancing, by reason (failures or latency)",
      labelNames: ["server", "reason"],
      registers,
    });
    healthGauges(registers, upstreams);
  }

  circuitChanged(server: string, _replica: number, _from: CircuitState, to: CircuitState): void {
    this.#transitions.inc({ server, to });
  }

  retried(server: string, method: string): void {
    this.#retries.inc({ server, method });
  }

  budgetExhausted(server: string): void {
    this.#exhausted.inc({ server });
  }

  ejected(server: string, _replica: number, reason: "failures" | "latency"): void {
    this.#ejections.inc({ server, reason });
  }
}

/** Gauges read from each upstream's health report when scraped. */
function healthGauges(registers: Registry[], upstreams: () => Iterable<Upstream>): void {
  new Gauge({
    name: "sophia_circuit_state",
    help: "Circuit breaker state per replica: 0 closed, 1 half-open, 2 open",
    labelNames: ["server", "replica"],
    registers,
    collect() {
      this.reset();
      for (const u of upstreams())
        for (const r of u.health?.().replicas ?? [])
          this.set({ server: u.name, replica: String(r.index) }, CIRCUIT_VALUE[r.circuit]);
    },
  });
  new Gauge({
    name: "sophia_replicas_ejected",
    help: "Replicas currently ejected from load balancing",
    labelNames: ["server"],
    registers,
    collect() {
      this.reset();
      for (const u of upstreams()) {
        const replicas = u.health?.().replicas;
        if (replicas) this.set({ server: u.name }, replicas.filter((r) => r.ejected).length);
      }
    },
  });
  new Gauge({
    name: "sophia_upstream_health",
    help: "1 for the server's current health (ready, degraded or down)",
    labelNames: ["server", "status"],
    registers,
    collect() {
      this.reset();
      for (const u of upstreams()) {
        const status = u.health?.().status;
        if (status !== undefined) this.set({ server: u.name, status }, 1);
      }
    },
  });
  new Gauge({
    name: "sophia_upstream_ping_seconds",
    help: "Latency of the last health ping per replica",
    labelNames: ["server", "replica"],
    registers,
    collect() {
      this.reset();
      for (const u of upstreams())
        for (const r of u.health?.().replicas ?? [])
          if (r.pingMs !== undefined && r.pingError === undefined)
            this.set({ server: u.name, replica: String(r.index) }, r.pingMs / 1000);
    },
  });
}
