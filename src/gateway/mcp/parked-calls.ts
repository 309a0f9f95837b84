import { randomUUID } from "node:crypto";
import type { ModernCall } from "./modern-call.ts";

/**
 * Modern calls waiting for the client to come back with input responses,
 * keyed by the `requestState` the client was given. A state is good for one
 * retry (each round hands out a fresh one), and a call whose client does not
 * return within `expireMs` is abandoned so the upstream call is cancelled.
 * State lives in this gateway instance: a retry must reach the same replica
 * (docs/scale-out.md says why and what another replica answers).
 */
export class ParkedCalls {
  readonly #calls = new Map<string, { call: ModernCall; timer: NodeJS.Timeout }>();
  readonly #expireMs: number;
  readonly #prefix: string;

  /** `prefix` names this instance in every state, so another instance can tell a retry is not its own. */
  constructor(expireMs: number, prefix = "") {
    this.#expireMs = expireMs;
    this.#prefix = prefix;
  }

  get size(): number {
    return this.#calls.size;
  }

  park(call: ModernCall): string {
    const state = `${this.#prefix}${randomUUID()}`;
    const timer = setTimeout(() => {
      this.#calls.delete(state);
      call.abandon();
    }, this.#expireMs);
    timer.unref();
    this.#calls.set(state, { call, timer });
    return state;
  }

  /** The call a `requestState` names, removed from the waiting set; undefined when unknown or expired. */
  take(state: string): ModernCall | undefined {
    const entry = this.#calls.get(state);
    if (!entry) return undefined;
    this.#calls.delete(state);
    clearTimeout(entry.timer);
    return entry.call;
  }

  abandonAll(): void {
    for (const [state, entry] of this.#calls) {
      this.#calls.delete(state);
      clearTimeout(entry.timer);
      entry.call.abandon();
    }
  }
}
