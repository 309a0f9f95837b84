import type { CircuitState } from "./breaker.ts";

/** What resilience reports for metrics; the gateway passes its Prometheus registry behind it. */
export interface ResilienceObserver {
  circuitChanged(server: string, replica: number, from: CircuitState, to: CircuitState): void;
  retried(server: string, method: string): void;
  budgetExhausted(server: string): void;
  ejected(server: string, replica: number, reason: "failures" | "latency"): void;
}
