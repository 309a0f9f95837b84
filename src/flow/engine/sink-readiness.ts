/**
 * Tells the gatherer whether some sink could write right now (nothing
 * queued, no write in flight), and calls it back when one becomes so.
 * Listeners are removed by whoever added them: a long-lived pending promise
 * raced again and again would keep every batch it ever raced against alive.
 */
import type { SinkReadiness } from "./gather.ts";

export class SinkIdleSignal implements SinkReadiness {
  readonly #idle: () => boolean;
  readonly #listeners = new Set<() => void>();

  /** `idle`: whether any sink is idle now. */
  constructor(idle: () => boolean) {
    this.#idle = idle;
  }

  anyIdle(): boolean {
    return this.#idle();
  }

  /** Calls `listener` at the next notify(); returns its removal. */
  onIdle(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A sink finished its writes and waits for more. */
  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
