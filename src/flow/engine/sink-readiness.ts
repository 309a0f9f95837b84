/**
 * Tells the gatherer whether some sink could write right now (nothing
 * queued, no write in flight), and wakes it when one becomes so.
 */
import type { SinkReadiness } from "./gather.ts";

export class SinkIdleSignal implements SinkReadiness {
  readonly #idle: () => boolean;
  #wake: { promise: Promise<void>; resolve: () => void } | undefined;

  /** `idle`: whether any sink is idle now. */
  constructor(idle: () => boolean) {
    this.#idle = idle;
  }

  anyIdle(): boolean {
    return this.#idle();
  }

  /** Pending until the next notify(); every caller until then shares it. */
  whenAnyIdle(): Promise<void> {
    this.#wake ??= Promise.withResolvers<void>();
    return this.#wake.promise;
  }

  /** A sink finished its writes and waits for more. */
  notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.resolve();
  }
}
