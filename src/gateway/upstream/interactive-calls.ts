import type { PendingCall } from "./pending-call.ts";

/**
 * Calls known to make the upstream ask the client something (sampling,
 * elicitation, roots) without saying which call the question belongs to —
 * stdio and legacy SSE cannot say. The gateway never guesses: such a question
 * is attributed only when exactly one call is in flight. Calls learned here
 * therefore run alone on their replica, so the next question is unambiguous.
 * Shared by the replicas of one upstream.
 */
export class InteractiveCalls {
  readonly #keys = new Set<string>();

  get size(): number {
    return this.#keys.size;
  }

  has(call: PendingCall): boolean {
    return this.#keys.size > 0 && this.#keys.has(call.describe());
  }

  /** Records calls as interactive; returns the keys that were new. */
  learn(calls: Iterable<PendingCall>): string[] {
    const added: string[] = [];
    for (const call of calls) {
      const key = call.describe();
      if (!this.#keys.has(key)) {
        this.#keys.add(key);
        added.push(key);
      }
    }
    return added;
  }
}
