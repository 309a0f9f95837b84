import { WindowCounter } from "./window-counter.ts";

export interface BreakerSettings {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** Failure share over `windowMs` that opens it (0–1), once `minCalls` calls were seen. */
  failureRate: number;
  minCalls: number;
  windowMs: number;
  /** How long an open circuit rejects before letting probes through. */
  cooldownMs: number;
  /** Calls let through at once while half-open. */
  halfOpenProbes: number;
}

export type CircuitState = "closed" | "open" | "half-open";

export type Admission = { admitted: true; probe: boolean } | { admitted: false; retryInMs: number };

/**
 * The circuit breaker of one upstream replica, as a pure state machine: the
 * caller passes the time to every method. Closed counts failures; open
 * rejects at once until the cool-down ends; half-open lets `halfOpenProbes`
 * calls through and closes on the first that succeeds, or opens again on a
 * failure. Only transport failures and timeouts are reported here: a tool
 * that answers with an error is a server that works.
 */
export class CircuitBreaker {
  readonly settings: BreakerSettings;
  onTransition: ((from: CircuitState, to: CircuitState) => void) | undefined;
  #state: CircuitState = "closed";
  #consecutive = 0;
  #openedAt = 0;
  #probes = 0;
  readonly #window: WindowCounter;

  constructor(settings: BreakerSettings) {
    this.settings = settings;
    this.#window = new WindowCounter(settings.windowMs);
  }

  /** The state at `now` (an open circuit whose cool-down ended reads as half-open). */
  state(now: number): CircuitState {
    if (this.#state === "open" && now >= this.#openedAt + this.settings.cooldownMs)
      this.#move("half-open");
    return this.#state;
  }

  get probesInFlight(): number {
    return this.#probes;
  }

  /** Milliseconds until an open circuit lets probes through (0 when not open). */
  retryIn(now: number): number {
    return this.state(now) === "open"
      ? Math.max(0, this.#openedAt + this.settings.cooldownMs - now)
      : 0;
  }

  admit(now: number): Admission {
    const state = this.state(now);
    if (state === "closed") return { admitted: true, probe: false };
    if (state === "half-open" && this.#probes < this.settings.halfOpenProbes) {
      this.#probes++;
      return { admitted: true, probe: true };
    }
    return { admitted: false, retryInMs: Math.max(1, this.retryIn(now)) };
  }

  success(now: number, probe: boolean): void {
    if (probe) {
      this.#probes = Math.max(0, this.#probes - 1);
      if (this.#state === "half-open") this.#close();
      return;
    }
    if (this.#state !== "closed") return;
    this.#consecutive = 0;
    this.#window.add(now, false);
  }

  failure(now: number, probe: boolean): void {
    if (probe) {
      this.#probes = Math.max(0, this.#probes - 1);
      if (this.#state === "half-open") this.#open(now);
      return;
    }
    // Calls admitted before the circuit opened say nothing new about it.
    if (this.#state !== "closed") return;
    this.#consecutive++;
    this.#window.add(now, true);
    if (this.#consecutive >= this.settings.failures || this.#rateExceeded(now)) this.#open(now);
  }

  /** A call that ended without saying anything about the server (cancelled, refused locally). */
  release(probe: boolean): void {
    if (probe) this.#probes = Math.max(0, this.#probes - 1);
  }

  #rateExceeded(now: number): boolean {
    const { total, hits } = this.#window.sum(now);
    return total >= this.settings.minCalls && hits / total >= this.settings.failureRate;
  }

  #open(now: number): void {
    this.#openedAt = now;
    this.#consecutive = 0;
    this.#move("open");
  }

  #close(): void {
    this.#consecutive = 0;
    this.#window.reset();
    this.#move("closed");
  }

  #move(to: CircuitState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.onTransition?.(from, to);
  }
}
