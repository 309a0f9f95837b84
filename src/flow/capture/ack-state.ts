/**
 * What the engine has acknowledged, and how old the oldest change it has not
 * is. The position reported to PostgreSQL comes only from here.
 */
import type { Lsn } from "../lsn.ts";

export class AckState {
  /** Last position the engine acknowledged; 0 (invalid, ignored by the server) until the first. */
  acked: Lsn = 0n;
  /** Transaction ends received but not acknowledged, oldest first, with their commit times. */
  readonly #pending: { commitEnd: Lsn; commitTimeMs: number }[] = [];
  #head = 0;

  received(commitEnd: Lsn, commitTimeMs: number): void {
    this.#pending.push({ commitEnd, commitTimeMs });
  }

  /** Returns true when the position moved forward. */
  acknowledge(lsn: Lsn): boolean {
    while (this.#head < this.#pending.length && (this.#pending[this.#head]?.commitEnd ?? 0n) <= lsn)
      this.#head++;
    if (this.#head > 1024) {
      this.#pending.splice(0, this.#head);
      this.#head = 0;
    }
    if (lsn <= this.acked) return false;
    this.acked = lsn;
    return true;
  }

  /** Seconds since the commit of the oldest unacknowledged change (`openTxMs`: the one still arriving). */
  lagSeconds(nowMs: number, openTxMs: number | undefined): number {
    const oldest = this.#pending[this.#head]?.commitTimeMs ?? openTxMs;
    return oldest === undefined ? 0 : Math.max(0, (nowMs - oldest) / 1000);
  }
}
