/**
 * Reference counts of resource subscriptions per upstream. Upstreams are
 * shared, so the gateway subscribes upstream once for the first client and
 * unsubscribes only when the last one leaves.
 */
export class SubscriptionCounts {
  readonly #counts = new Map<string, number>();

  /** Returns true when this is the first subscriber (subscribe upstream now). */
  add(server: string, uri: string): boolean {
    const key = `${server}\u0000${uri}`;
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    return count === 1;
  }

  /** Returns true when this was the last subscriber (unsubscribe upstream now). */
  remove(server: string, uri: string): boolean {
    const key = `${server}\u0000${uri}`;
    const count = this.#counts.get(key);
    if (count === undefined) return false;
    if (count <= 1) {
      this.#counts.delete(key);
      return true;
    }
    this.#counts.set(key, count - 1);
    return false;
  }
}
