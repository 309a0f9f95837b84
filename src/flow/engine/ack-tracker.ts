/**
 * Which position may be acknowledged to PostgreSQL. Batches are registered
 * in stream order with a sequence number; each sink reports the batches it
 * made durable. The acknowledgeable position is the last checkpoint among
 * the batches that EVERY sink has finished, counting only an unbroken run
 * from the start: a hole (an unwritten batch) stops it. Pure, no I/O.
 */
import type { Lsn } from "../lsn.ts";

export class AckTracker {
  /** Checkpoint of each registered batch not yet passed by every sink, by sequence. */
  readonly #pending = new Map<number, Lsn | undefined>();
  /** Per sink: the first sequence it has not finished, and finished ones beyond a hole. */
  readonly #frontier: number[];
  readonly #ahead: Set<number>[];
  #nextSeq = 0;
  /** Lowest sequence still in #pending. */
  #floor = 0;
  #acked: Lsn | undefined;

  constructor(sinkCount: number, acked?: Lsn) {
    this.#frontier = Array.from({ length: sinkCount }, () => 0);
    this.#ahead = Array.from({ length: sinkCount }, () => new Set<number>());
    this.#acked = acked;
  }

  /** Adds the next batch of the stream; returns its sequence number. */
  register(checkpoint: Lsn | undefined): number {
    const seq = this.#nextSeq++;
    this.#pending.set(seq, checkpoint);
    return seq;
  }

  /** Sink `sink` made batch `seq` durable (or had nothing to write in it). */
  done(sink: number, seq: number): void {
    const frontier = this.#frontier[sink];
    const ahead = this.#ahead[sink];
    if (frontier === undefined || ahead === undefined)
      throw new RangeError(`no sink ${sink} (there are ${this.#frontier.length})`);
    if (seq >= this.#nextSeq) throw new RangeError(`batch ${seq} was never registered`);
    if (seq < frontier) return;
    ahead.add(seq);
    let next = frontier;
    while (ahead.delete(next)) next++;
    this.#frontier[sink] = next;
  }

  /**
   * The position to acknowledge now, when it moved past the last one
   * returned; undefined otherwise. Positions returned only ever grow.
   */
  take(): Lsn | undefined {
    const reached = Math.min(...this.#frontier, this.#nextSeq);
    let best: Lsn | undefined;
    for (let seq = this.#floor; seq < reached; seq++) {
      const checkpoint = this.#pending.get(seq);
      if (checkpoint !== undefined && (best === undefined || checkpoint > best)) best = checkpoint;
      this.#pending.delete(seq);
    }
    this.#floor = Math.max(this.#floor, reached);
    if (best === undefined || (this.#acked !== undefined && best <= this.#acked)) return undefined;
    this.#acked = best;
    return best;
  }

  get acked(): Lsn | undefined {
    return this.#acked;
  }

  /** Batches registered that some sink has not finished. */
  get inFlight(): number {
    return this.#nextSeq - Math.min(...this.#frontier, this.#nextSeq);
  }

  /** Index of the sink furthest behind (holding back the acknowledgement), or -1 with none behind. */
  slowest(): number {
    let worst = -1;
    let lowest = this.#nextSeq;
    this.#frontier.forEach((frontier, sink) => {
      if (frontier < lowest) {
        lowest = frontier;
        worst = sink;
      }
    });
    return worst;
  }
}
