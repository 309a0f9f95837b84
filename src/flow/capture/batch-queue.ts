/**
 * The bounded hand-off between the socket and the engine: events and
 * transaction ends in commit order, cut into batches. Pure (no timers, no
 * sockets) so batching and the back-pressure bound are tested in memory.
 */
import type { ChangeBatch, ChangeEvent } from "../events.ts";
import type { Lsn } from "../lsn.ts";

interface CommitMark {
  commitEnd: Lsn;
}

type Item = ChangeEvent | CommitMark;

function isCommit(item: Item): item is CommitMark {
  return (item as CommitMark).commitEnd !== undefined;
}

export class BatchQueue {
  readonly #batchSize: number;
  readonly #maxEvents: number;
  #items: Item[] = [];
  #head = 0;
  #events = 0;
  #commits = 0;
  /** Most events ever held at once: the memory bound tests check. */
  highWater = 0;

  constructor(batchSize: number, maxEvents: number) {
    this.#batchSize = Math.max(1, batchSize);
    this.#maxEvents = Math.max(this.#batchSize, maxEvents);
  }

  get events(): number {
    return this.#events;
  }

  /** At capacity: stop reading from the server until the engine takes a batch. */
  get full(): boolean {
    return this.#events >= this.#maxEvents;
  }

  /** Drained enough to read again (half empty, so the socket is not toggled per batch). */
  get canResume(): boolean {
    return this.#events <= this.#maxEvents / 2;
  }

  pushEvent(event: ChangeEvent): void {
    this.#items.push(event);
    this.#events++;
    if (this.#events > this.highWater) this.highWater = this.#events;
  }

  pushCommit(commitEnd: Lsn): void {
    this.#items.push({ commitEnd });
    this.#commits++;
  }

  /**
   * A batch can be cut: a finished transaction, more than a batch of one
   * transaction (strictly more: a batch of exactly batchSize may end at the
   * commit about to arrive), or a full queue.
   */
  get ready(): boolean {
    return this.#commits > 0 || this.#events > this.#batchSize || this.full;
  }

  /**
   * The next batch, or undefined when none is ready. A batch ends at the last
   * transaction end it reaches (checkpoint set); only a batch inside one large
   * transaction goes out without a checkpoint.
   */
  take(): ChangeBatch | undefined {
    if (!this.ready) return undefined;
    const events: ChangeEvent[] = [];
    let checkpoint: Lsn | undefined;
    let boundaryEvents = 0;
    let boundaryPos = -1;
    let pos = this.#head;
    for (; pos < this.#items.length; pos++) {
      const item = this.#items[pos] as Item;
      if (isCommit(item)) {
        checkpoint = item.commitEnd;
        boundaryEvents = events.length;
        boundaryPos = pos + 1;
        continue;
      }
      if (events.length === this.#batchSize) break;
      events.push(item);
    }
    if (boundaryPos !== -1 && boundaryEvents < events.length) {
      events.length = boundaryEvents;
      pos = boundaryPos;
    }
    this.#consume(pos, events.length);
    return { events, checkpoint };
  }

  #consume(pos: number, events: number): void {
    for (let i = this.#head; i < pos; i++) if (isCommit(this.#items[i] as Item)) this.#commits--;
    this.#events -= events;
    this.#head = pos;
    if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Drops everything (stop). */
  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#events = 0;
    this.#commits = 0;
  }
}
