import type { ServerConfig } from "../../config/types.ts";
import { SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { JsonRpcNotification, Params } from "../jsonrpc/messages.ts";
import type { HealthReport } from "../resilience/health-status.ts";
import type { ResilienceObserver } from "../resilience/observer.ts";
import type { AnnotationsOf } from "../resilience/retry-rules.ts";
import { circuitOpen } from "../resilience/retry-rules.ts";
import { resilienceSettings } from "../resilience/settings.ts";
import { UpstreamGuard } from "../resilience/upstream-guard.ts";
import { type BackoffPolicy, DEFAULT_BACKOFF } from "./backoff.ts";
import { Connection } from "./connection.ts";
import { InteractiveCalls } from "./interactive-calls.ts";
import type { PendingCall } from "./pending-call.ts";
import { Replica } from "./replica.ts";
import { serverLogger } from "./server-logger.ts";
import type {
  CallContext,
  CallOutcome,
  Upstream,
  UpstreamInfo,
  UpstreamState,
  UpstreamTransport,
} from "./types.ts";

export interface ManagedUpstreamOptions {
  name: string;
  config: ServerConfig;
  logger: Logger;
  /** Makes a fresh transport for replica `index`; called on every (re)connect. */
  transport: (index: number) => UpstreamTransport;
  /** Replicas sharing the load (stdio `pool`); 1 by default. */
  replicas?: number;
  backoff?: BackoffPolicy;
  /** Metrics of breakers, retries and ejections. */
  observer?: ResilienceObserver | undefined;
  /** A tool's annotations by name, to know which calls are safe to retry. */
  annotationsOf?: AnnotationsOf | undefined;
}

/** Replica health and load, for diagnostics, metrics and tests. */
export interface ReplicaStatus {
  index: number;
  ready: boolean;
  inFlight: number;
}

const DEFAULT_STOP_GRACE_MS = 5000;

/**
 * An upstream server as the gateway sees it: one or more replicas, each
 * restarted with backoff when it dies. Calls go to the ready replica with the
 * fewest calls in flight; with none ready they fail at once rather than wait.
 */
export class ManagedUpstream implements Upstream {
  readonly name: string;
  readonly config: ServerConfig;
  info: UpstreamInfo | undefined;
  lastError: string | undefined;
  readonly #log: Logger;
  readonly #replicas: Replica[];
  readonly #interactive = new InteractiveCalls();
  readonly #notificationListeners = new Set<(notification: JsonRpcNotification) => void>();
  readonly #stateListeners = new Set<(state: UpstreamState) => void>();
  readonly #readyWaiters = new Set<() => void>();
  #state: UpstreamState = "starting";
  #everReady = false;
  /** A connect attempt failed since a replica was last ready (or since start). */
  #failing = false;
  #startTimedOut = false;
  #starting: PromiseWithResolvers<void> | undefined;
  #stopping: Promise<void> | undefined;
  readonly #guard: UpstreamGuard;
  #probeTimer: NodeJS.Timeout | undefined;
  #probing = false;
  /** Set by a hot reload: calls that still reach this upstream go to its replacement. */
  #successor: Upstream | undefined;

  constructor(options: ManagedUpstreamOptions) {
    this.name = options.name;
    this.config = options.config;
    this.#log = serverLogger(options.logger, options.name);
    const policy = options.backoff ?? DEFAULT_BACKOFF;
    const count = Math.max(1, Math.floor(options.replicas ?? 1));
    this.#guard = new UpstreamGuard({
      server: options.name,
      settings: resilienceSettings(options.config),
      replicas: count,
      logger: this.#log,
      observer: options.observer,
      annotationsOf: options.annotationsOf,
    });
    const events = {
      ready: (replica: Replica) => this.#onReady(replica),
      down: (replica: Replica, error: Error, wasReady: boolean, delay: number) =>
        this.#onDown(replica, error, wasReady, delay),
      notification: (notification: JsonRpcNotification) => this.#emitNotification(notification),
    };
    const connect = (index: number) => () => {
      const connection = new Connection({
        name: options.name,
        transport: options.transport(index),
        logger: options.logger,
        timeoutMs: options.config.timeoutMs,
        maxConcurrency: options.config.maxConcurrency,
        connectTimeoutMs: options.config.connectTimeoutMs,
        interactive: this.#interactive,
      });
      connection.onundelivered = (call) => this.#redeliver(call, connection);
      return connection;
    };
    this.#replicas = Array.from(
      { length: count },
      (_, i) => new Replica(i, connect(i), events, policy),
    );
  }

  get state(): UpstreamState {
    return this.#state;
  }

  get inFlight(): number {
    let total = 0;
    for (const replica of this.#replicas) total += replica.connection?.inFlight ?? 0;
    return Math.max(0, total - this.#guard.pinging);
  }

  get replicas(): ReplicaStatus[] {
    return this.#replicas.map((r) => ({
      index: r.index,
      ready: r.connection !== undefined,
      inFlight: r.connection?.inFlight ?? 0,
    }));
  }

  start(): Promise<void> {
    if (this.#starting !== undefined) {
      // Ready by now (perhaps after the first start() gave up waiting): nothing to wait for.
      return this.#state === "ready" ? Promise.resolve() : this.#starting.promise;
    }
    const starting = Promise.withResolvers<void>();
    this.#starting = starting;
    if (this.#stopping !== undefined) {
      starting.reject(this.#unavailable("start"));
      return starting.promise;
    }
    const limit = this.config.connectTimeoutMs;
    // A little past the handshake's own deadline, so the reason it gives is known here.
    const timer = setTimeout(() => this.#startExpired(limit), limit + 100);
    timer.unref();
    starting.promise.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    for (const replica of this.#replicas) replica.start();
    this.#startProbing();
    return starting.promise;
  }

  request(method: string, params: Params | undefined, context?: CallContext): Promise<CallOutcome> {
    if (this.#successor !== undefined) return this.#successor.request(method, params, context);
    if (this.#stopping !== undefined) return Promise.reject(this.#unavailable(method));
    return this.#guard.call(this.#replicas, method, params, context, () =>
      this.#unavailable(method),
    );
  }

  /** Ready, degraded (slow, replicas ejected or missing) or down, with the reasons. */
  health(): HealthReport {
    const report = this.#guard.health(this.#replicas);
    if (this.#state === "ready") return report;
    const why = this.lastError === undefined ? this.#state : `${this.#state}: ${this.lastError}`;
    return { ...report, status: "down", reasons: [why, ...report.reasons] };
  }

  /**
   * Hands calls over to the upstream replacing this one (hot reload): calls
   * that still arrive here go there; calls in flight here finish here.
   */
  handOver(successor: Upstream): void {
    this.#successor = successor;
  }

  #startProbing(): void {
    const { intervalMs } = this.#guard.settings.health;
    this.#probeTimer = setInterval(() => {
      if (this.#probing || this.#stopping !== undefined) return;
      this.#probing = true;
      void this.#guard.probe(this.#replicas).finally(() => {
        this.#probing = false;
      });
    }, intervalMs);
    this.#probeTimer.unref();
  }

  notify(method: string, params?: Params): void {
    for (const replica of this.#replicas) replica.connection?.notify(method, params);
  }

  onNotification(listener: (notification: JsonRpcNotification) => void): () => void {
    this.#notificationListeners.add(listener);
    return () => this.#notificationListeners.delete(listener);
  }

  onStateChange(listener: (state: UpstreamState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  stop(graceMs = DEFAULT_STOP_GRACE_MS): Promise<void> {
    if (this.#stopping !== undefined) return this.#stopping;
    clearInterval(this.#probeTimer);
    this.#setState("stopped");
    this.#starting?.reject(
      new SophiaError(
        "UPSTREAM_UNAVAILABLE",
        `server ${this.name} was stopped before it became ready`,
      ),
    );
    this.#wakeWaiters();
    this.#stopping = Promise.all(this.#replicas.map((replica) => replica.stop(graceMs))).then(
      () => {},
    );
    return this.#stopping;
  }

  /** The ready replica with the fewest calls in flight (first one on ties). */
  #pick(exclude?: Connection): Connection | undefined {
    if (this.#stopping !== undefined) return undefined;
    let best: Connection | undefined;
    let load = Number.POSITIVE_INFINITY;
    for (const replica of this.#replicas) {
      const connection = replica.connection;
      if (connection === undefined || connection === exclude || connection.closed) continue;
      const inFlight = connection.inFlight;
      if (inFlight < load) {
        best = connection;
        load = inFlight;
      }
    }
    return best;
  }

  /**
   * A call its connection lost before the server saw it (it was queued, or
   * its session had expired): sent again on another ready replica, waiting up
   * to connectTimeoutMs for one. It gets its full timeout again there.
   */
  #redeliver(call: PendingCall, from: Connection): void {
    this.#log.debug({ method: call.method }, "call never reached the server; sending it again");
    this.#connectionFor(from, call.context?.signal).then((connection) => {
      if (connection === undefined) return call.reject(this.#unavailable(call.method));
      connection
        .request(call.method, call.original, call.context, true)
        .then(call.resolve, call.reject);
    }, call.reject);
  }

  async #connectionFor(
    exclude: Connection,
    signal: AbortSignal | undefined,
  ): Promise<Connection | undefined> {
    const deadline = Date.now() + this.config.connectTimeoutMs;
    for (;;) {
      const connection = this.#pick(exclude);
      // An aborted call still goes to a connection, which rejects it as cancelled.
      if (connection !== undefined) return connection;
      const left = deadline - Date.now();
      if (left <= 0 || this.#stopping !== undefined || signal?.aborted) return this.#pick();
      await this.#nextReady(left, signal);
    }
  }

  /** Resolves when a replica becomes ready, `ms` pass, `signal` aborts or the upstream stops. */
  #nextReady(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#readyWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done);
      this.#readyWaiters.add(done);
    });
  }

  #wakeWaiters(): void {
    for (const wake of [...this.#readyWaiters]) wake();
  }

  #onReady(replica: Replica): void {
    const info = replica.connection?.info;
    if (info !== undefined) this.info = info;
    this.#everReady = true;
    this.#failing = false;
    this.#log.info(
      { replica: replica.index, protocolVersion: info?.protocolVersion },
      "upstream ready",
    );
    this.#starting?.resolve();
    this.#refresh();
    this.#wakeWaiters();
  }

  #onDown(replica: Replica, error: Error, wasReady: boolean, delay: number): void {
    this.lastError = error.message;
    this.#guard.replicaDown(replica.index);
    if (!wasReady) this.#failing = true;
    const what = wasReady ? "upstream replica went down" : "upstream replica failed to start";
    this.#log.warn({ replica: replica.index, err: error.message, restartInMs: delay }, what);
    this.#refresh();
  }

  #startExpired(limit: number): void {
    if (this.#everReady || this.#stopping !== undefined) return;
    this.#startTimedOut = true;
    this.#refresh();
    const why = this.lastError === undefined ? "" : `: ${this.lastError}`;
    this.#starting?.reject(
      new SophiaError(
        "UPSTREAM_UNAVAILABLE",
        `server ${this.name} did not become ready within ${limit} ms${why}`,
        {
          hint: "the gateway keeps retrying in the background; check the server's command, URL and logs",
        },
      ),
    );
  }

  #refresh(): void {
    if (this.#stopping === undefined) this.#setState(this.#aggregateState());
  }

  #aggregateState(): UpstreamState {
    if (this.#replicas.some((r) => r.connection !== undefined)) return "ready";
    if (!this.#everReady && !this.#failing && !this.#startTimedOut) return "starting";
    return this.#everReady && !this.#failing ? "restarting" : "down";
  }

  #setState(state: UpstreamState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) {
      try {
        listener(state);
      } catch (error) {
        this.#log.error({ err: error }, "state listener failed");
      }
    }
  }

  #emitNotification(notification: JsonRpcNotification): void {
    for (const listener of this.#notificationListeners) {
      try {
        listener(notification);
      } catch (error) {
        this.#log.error(
          { err: error, method: notification.method },
          "notification listener failed",
        );
      }
    }
  }

  #unavailable(method: string): SophiaError {
    const open = this.#stopping === undefined ? this.#guard.openFor() : undefined;
    if (open !== undefined) return circuitOpen(this.name, open, `${this.#state}`, this.lastError);
    const why = this.lastError === undefined ? "" : ` (last error: ${this.lastError})`;
    return new SophiaError(
      "UPSTREAM_UNAVAILABLE",
      `server ${this.name} is ${this.#state}, ${method} not sent${why}`,
      {
        hint:
          this.#state === "stopped"
            ? undefined
            : "the gateway restarts the server in the background; retry shortly",
      },
    );
  }
}
