import { setTimeout as sleep } from "node:timers/promises";
import type { JsonRpcNotification } from "../jsonrpc/messages.ts";
import { type BackoffPolicy, backoffDelay } from "./backoff.ts";
import type { Connection } from "./connection.ts";

export interface ReplicaEvents {
  ready(replica: Replica): void;
  /** A connect attempt failed (`wasReady` false) or a ready connection died (true); a restart is scheduled. */
  down(replica: Replica, error: Error, wasReady: boolean, restartInMs: number): void;
  notification(notification: JsonRpcNotification): void;
}

/**
 * One process or session of an upstream, kept alive: connects, and after a
 * failure or death reconnects with exponential backoff. A replica that stayed
 * healthy for `resetAfterMs` starts over from the shortest delay.
 */
export class Replica {
  readonly index: number;
  /** Set while ready; undefined while connecting, waiting or stopped. */
  connection: Connection | undefined;
  readonly #connect: () => Connection;
  readonly #events: ReplicaEvents;
  readonly #policy: BackoffPolicy;
  #attempt = 0;
  #readyAt = 0;
  #starting: Connection | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    index: number,
    connect: () => Connection,
    events: ReplicaEvents,
    policy: BackoffPolicy,
  ) {
    this.index = index;
    this.#connect = connect;
    this.#events = events;
    this.#policy = policy;
  }

  start(): void {
    void this.#connectNow();
  }

  /** Waits up to `graceMs` for calls in flight, then closes (killing a process). */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    const ready = this.connection;
    const starting = this.#starting;
    this.connection = undefined;
    this.#starting = undefined;
    if (ready !== undefined) {
      const grace = new AbortController();
      await Promise.race([
        ready.whenIdle(),
        sleep(graceMs, undefined, { signal: grace.signal }).catch(() => {}),
      ]);
      grace.abort();
      await ready.close("was stopped");
    }
    if (starting !== undefined) await starting.close("was stopped while starting");
  }

  async #connectNow(): Promise<void> {
    if (this.#stopped) return;
    const connection = this.#connect();
    this.#starting = connection;
    try {
      await connection.start();
    } catch (error) {
      if (this.#starting === connection) this.#starting = undefined;
      if (!this.#stopped) this.#restart(error as Error, false);
      return;
    }
    this.#starting = undefined;
    if (this.#stopped) return void connection.close("was stopped");
    connection.onclose = (error) => this.#lost(connection, error);
    connection.onnotification = (notification) => this.#events.notification(notification);
    this.connection = connection;
    this.#readyAt = Date.now();
    this.#events.ready(this);
  }

  #lost(connection: Connection, error: Error): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    if (Date.now() - this.#readyAt >= this.#policy.resetAfterMs) this.#attempt = 0;
    this.#restart(error, true);
  }

  #restart(error: Error, wasReady: boolean): void {
    const delay = backoffDelay(this.#attempt++, this.#policy);
    this.#events.down(this, error, wasReady, delay);
    this.#timer = setTimeout(() => void this.#connectNow(), delay);
    this.#timer.unref();
  }
}
