import type { OutlierConfig } from "../../config/types.ts";
import { type BreakerSettings, CircuitBreaker } from "./breaker.ts";
import { ejectionDuration } from "./outlier.ts";

/** Weight of the newest call in the smoothed latency. */
const LATENCY_ALPHA = 0.2;

export interface PingResult {
  at: number;
  latencyMs: number;
  /** Set when the ping failed (no answer within the deadline, connection lost). */
  error?: string;
}

/**
 * What the gateway knows of one replica's health: its circuit breaker,
 * consecutive failures and smoothed latency for outlier ejection, and the
 * last health ping.
 */
export class ReplicaGuard {
  readonly breaker: CircuitBreaker;
  consecutiveFailures = 0;
  latencyMs: number | undefined;
  ejectedUntil = 0;
  ejections = 0;
  #returnedAt = 0;
  ping: PingResult | undefined;

  constructor(breaker: BreakerSettings) {
    this.breaker = new CircuitBreaker(breaker);
  }

  ejected(now: number): boolean {
    return now < this.ejectedUntil;
  }

  succeeded(now: number, probe: boolean, ms: number): void {
    this.breaker.success(now, probe);
    this.consecutiveFailures = 0;
    this.latencyMs =
      this.latencyMs === undefined ? ms : this.latencyMs + LATENCY_ALPHA * (ms - this.latencyMs);
  }

  failed(now: number, probe: boolean): void {
    this.breaker.failure(now, probe);
    this.consecutiveFailures++;
  }

  /** Takes the replica out of balancing; returns for how long. */
  eject(now: number, settings: OutlierConfig): number {
    // A replica that behaved for a long while starts again from the shortest ejection.
    if (this.ejections > 0 && now - this.#returnedAt > settings.maxEjectionMs) this.ejections = 0;
    const ms = ejectionDuration(this.ejections++, settings);
    this.ejectedUntil = now + ms;
    this.#returnedAt = this.ejectedUntil;
    this.consecutiveFailures = 0;
    // Its latency is measured afresh when it is back.
    this.latencyMs = undefined;
    return ms;
  }
}
