import { setTimeout as sleep } from "node:timers/promises";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Params } from "../jsonrpc/messages.ts";
import type { Connection } from "../upstream/connection.ts";
import type { CallContext, CallOutcome } from "../upstream/types.ts";
import { classify, type HealthReport, type ReplicaHealth } from "./health-status.ts";
import type { ResilienceObserver } from "./observer.ts";
import { canEject, type OutlierView, slowOutlier } from "./outlier.ts";
import { ReplicaGuard } from "./replica-guard.ts";
import { RetryBudget } from "./retry-budget.ts";
import {
  type AnnotationsOf,
  circuitOpen,
  isServerFailure,
  retryDelay,
  safeToRepeat,
} from "./retry-rules.ts";
import type { ResilienceSettings } from "./settings.ts";

/** A replica as the guard sees it: its index and, while ready, its connection. */
export interface GuardedReplica {
  readonly index: number;
  readonly connection: Connection | undefined;
}

type Picked = { connection: Connection; index: number; probe: boolean } | { retryInMs: number };

export interface UpstreamGuardOptions {
  server: string;
  settings: ResilienceSettings;
  replicas: number;
  logger: Logger;
  observer?: ResilienceObserver | undefined;
  annotationsOf?: AnnotationsOf | undefined;
}

/**
 * Resilience of one upstream: picks the replica for each call (least in
 * flight among those whose circuit admits a call and that are not ejected),
 * records outcomes, retries calls that are safe to repeat on another replica
 * within a retry budget, and ejects replicas that keep failing.
 */
export class UpstreamGuard {
  readonly guards: ReplicaGuard[];
  readonly settings: ResilienceSettings;
  readonly #options: UpstreamGuardOptions;
  readonly #budget: RetryBudget;
  /** Health pings in flight: not calls, so draining does not wait for them. */
  pinging = 0;

  constructor(options: UpstreamGuardOptions) {
    this.#options = options;
    this.settings = options.settings;
    this.#budget = new RetryBudget(options.settings.retry.budget);
    this.guards = Array.from({ length: options.replicas }, (_, index) => {
      const guard = new ReplicaGuard(options.settings.breaker);
      guard.breaker.onTransition = (from, to) => {
        options.logger.warn({ replica: index, from, to }, `circuit ${to}`);
        options.observer?.circuitChanged(options.server, index, from, to);
      };
      return guard;
    });
  }

  /** Sends a call, retrying on another replica when it failed and is safe to repeat. */
  async call(
    replicas: readonly GuardedReplica[],
    method: string,
    params: Params | undefined,
    context: CallContext | undefined,
    unavailable: () => Error,
  ): Promise<CallOutcome> {
    this.#budget.call(Date.now());
    let tried: Set<number> | undefined;
    let last: unknown;
    for (let attempt = 1; ; attempt++) {
      const picked = this.#select(replicas, tried);
      // A retry with nowhere to go reports the failure it retried, not the state it left behind.
      if (picked === undefined) throw last ?? unavailable();
      if (!("connection" in picked))
        throw last ?? circuitOpen(this.#options.server, picked.retryInMs);
      const guard = this.guards[picked.index] as ReplicaGuard;
      const started = performance.now();
      try {
        const outcome = await picked.connection.request(method, params, context);
        guard.succeeded(Date.now(), picked.probe, performance.now() - started);
        return outcome;
      } catch (error) {
        if (!isServerFailure(error)) {
          guard.breaker.release(picked.probe);
          throw error;
        }
        this.#failed(replicas, picked.index, picked.probe);
        if (!this.#mayRetry(attempt, method, params, context)) throw error;
        last = error;
        tried ??= new Set();
        tried.add(picked.index);
        const { backoffMs, maxBackoffMs } = this.settings.retry;
        await sleep(retryDelay(attempt - 1, backoffMs, maxBackoffMs), undefined, {
          signal: context?.signal,
        }).catch(() => {});
        if (context?.signal?.aborted) throw error;
      }
    }
  }

  /** A replica failed to start or died: one failure for its breaker. */
  replicaDown(index: number): void {
    this.guards[index]?.failed(Date.now(), false);
  }

  /** Milliseconds until some replica's circuit lets calls through, when every circuit is open. */
  openFor(): number | undefined {
    const now = Date.now();
    let wait = Number.POSITIVE_INFINITY;
    for (const guard of this.guards) {
      if (guard.breaker.state(now) !== "open") return undefined;
      wait = Math.min(wait, guard.breaker.retryIn(now));
    }
    return this.guards.length > 0 ? wait : undefined;
  }

  /** Pings every ready replica once (MCP `ping` with the health deadline), then looks for slow outliers. */
  async probe(replicas: readonly GuardedReplica[]): Promise<void> {
    const { timeoutMs } = this.settings.health;
    await Promise.all(
      replicas.map(async (replica) => {
        const guard = this.guards[replica.index];
        const connection = replica.connection;
        if (guard === undefined || connection === undefined) return;
        const started = performance.now();
        this.pinging++;
        try {
          // Any answer, even a JSON-RPC error (servers without ping), shows the server is alive.
          await connection.request("ping", undefined, { timeoutMs });
          guard.ping = { at: Date.now(), latencyMs: performance.now() - started };
        } catch (error) {
          const latencyMs = performance.now() - started;
          guard.ping = { at: Date.now(), latencyMs, error: errorMessage(error) };
          if (isServerFailure(error)) this.#failed(replicas, replica.index, false);
        } finally {
          this.pinging--;
        }
      }),
    );
    this.#ejectSlow(replicas);
  }

  health(replicas: readonly GuardedReplica[]): HealthReport {
    const now = Date.now();
    const list = replicas.map((replica): ReplicaHealth => {
      const guard = this.guards[replica.index] as ReplicaGuard;
      const entry: ReplicaHealth = {
        index: replica.index,
        ready: replica.connection !== undefined && !replica.connection.closed,
        inFlight: replica.connection?.inFlight ?? 0,
        circuit: guard.breaker.state(now),
        ejected: guard.ejected(now),
      };
      if (guard.ping !== undefined) {
        entry.pingMs = Math.round(guard.ping.latencyMs);
        if (guard.ping.error !== undefined) entry.pingError = guard.ping.error;
      }
      return entry;
    });
    return classify(list, this.settings.health.slowMs);
  }

  /**
   * The ready replica with the fewest calls in flight whose circuit admits a
   * call; replicas not yet tried by this call and not ejected come first.
   */
  #select(replicas: readonly GuardedReplica[], tried: Set<number> | undefined): Picked | undefined {
    const now = Date.now();
    let best: GuardedReplica | undefined;
    let bestRank = Number.POSITIVE_INFINITY;
    let blocked = false;
    for (const replica of replicas) {
      const connection = replica.connection;
      if (connection === undefined || connection.closed) continue;
      const guard = this.guards[replica.index] as ReplicaGuard;
      const state = guard.breaker.state(now);
      if (
        state === "open" ||
        (state === "half-open" &&
          guard.breaker.probesInFlight >= guard.breaker.settings.halfOpenProbes)
      ) {
        blocked = true;
        continue;
      }
      const tier = (tried?.has(replica.index) ? 1 : 0) + (guard.ejected(now) ? 2 : 0);
      const rank = tier * 1e9 + connection.inFlight;
      if (rank < bestRank) {
        best = replica;
        bestRank = rank;
      }
    }
    if (best?.connection === undefined)
      return blocked ? { retryInMs: this.#soonestRetry(now) } : undefined;
    const admission = (this.guards[best.index] as ReplicaGuard).breaker.admit(now);
    if (!admission.admitted) return { retryInMs: admission.retryInMs };
    return { connection: best.connection, index: best.index, probe: admission.probe };
  }

  #soonestRetry(now: number): number {
    let wait = Number.POSITIVE_INFINITY;
    for (const guard of this.guards) wait = Math.min(wait, guard.breaker.retryIn(now) || 1);
    return Number.isFinite(wait) ? wait : 1;
  }

  #mayRetry(
    attempt: number,
    method: string,
    params: Params | undefined,
    context: CallContext | undefined,
  ): boolean {
    if (attempt >= this.settings.retry.attempts || context?.signal?.aborted) return false;
    if (!safeToRepeat(method, params, this.#options.annotationsOf)) return false;
    if (!this.#budget.tryRetry(Date.now())) {
      this.#options.observer?.budgetExhausted(this.#options.server);
      return false;
    }
    this.#options.observer?.retried(this.#options.server, method);
    return true;
  }

  #failed(replicas: readonly GuardedReplica[], index: number, probe: boolean): void {
    const guard = this.guards[index];
    if (guard === undefined) return;
    const now = Date.now();
    guard.failed(now, probe);
    const { outlier } = this.settings;
    if (replicas.length < 2 || guard.ejected(now) || guard.consecutiveFailures < outlier.failures)
      return;
    if (canEject(this.#views(replicas, now), index)) this.#eject(index, now, "failures");
  }

  #ejectSlow(replicas: readonly GuardedReplica[]): void {
    if (replicas.length < 2) return;
    const now = Date.now();
    const index = slowOutlier(this.#views(replicas, now), this.settings.outlier);
    if (index !== undefined) this.#eject(index, now, "latency");
  }

  #eject(index: number, now: number, reason: "failures" | "latency"): void {
    const ms = (this.guards[index] as ReplicaGuard).eject(now, this.settings.outlier);
    this.#options.logger.warn({ replica: index, reason, forMs: ms }, "replica ejected");
    this.#options.observer?.ejected(this.#options.server, index, reason);
  }

  #views(replicas: readonly GuardedReplica[], now: number): OutlierView[] {
    return replicas.map((replica) => {
      const guard = this.guards[replica.index] as ReplicaGuard;
      return {
        ready: replica.connection !== undefined && !replica.connection.closed,
        ejected: guard.ejected(now),
        latencyMs: guard.latencyMs ?? guard.ping?.latencyMs,
      };
    });
  }
}
