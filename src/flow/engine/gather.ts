/**
 * Micro-batching: after a first batch arrives, keep taking from capture until
 * `size` events or `maxWaitMs` have passed, then hand over one batch. A
 * `next()` still pending when time is up is kept for the following round, so
 * nothing is lost or reordered.
 */
import type { CaptureStream } from "../capture/api.ts";
import type { ChangeBatch, ChangeEvent } from "../events.ts";
import type { Lsn } from "../lsn.ts";

export class Gatherer {
  readonly #capture: Pick<CaptureStream, "next">;
  readonly #size: number;
  readonly #maxWaitMs: number;
  #pending: Promise<ChangeBatch | undefined> | undefined;
  #ended = false;

  constructor(capture: Pick<CaptureStream, "next">, size: number, maxWaitMs: number) {
    this.#capture = capture;
    this.#size = size;
    this.#maxWaitMs = maxWaitMs;
  }

  /** The next gathered batch; undefined once capture has ended. */
  async next(): Promise<ChangeBatch | undefined> {
    if (this.#ended) return undefined;
    const first = await this.#pull();
    if (first === undefined) return this.#end();
    const parts = [first];
    let count = first.events.length;
    const deadline = Date.now() + this.#maxWaitMs;
    while (count < this.#size) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const more = await this.#pullWithin(left);
      if (more === "late") break;
      if (more === undefined) {
        this.#ended = true;
        break;
      }
      parts.push(more);
      count += more.events.length;
    }
    return merge(parts);
  }

  #end(): undefined {
    this.#ended = true;
    return undefined;
  }

  #pull(): Promise<ChangeBatch | undefined> {
    const pending = this.#pending ?? this.#capture.next();
    this.#pending = undefined;
    return pending;
  }

  async #pullWithin(ms: number): Promise<ChangeBatch | undefined | "late"> {
    const pending = this.#pending ?? this.#capture.next();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), ms);
    });
    const result = await Promise.race([pending, late]);
    clearTimeout(timer);
    this.#pending = result === "late" ? pending : undefined;
    return result;
  }
}

/** One batch of all events; its checkpoint is the last part's (a mid-transaction end has none). */
export function merge(parts: ChangeBatch[]): ChangeBatch {
  if (parts.length === 1) return parts[0] as ChangeBatch;
  const events: ChangeEvent[] = [];
  for (const part of parts) for (const event of part.events) events.push(event);
  const checkpoint: Lsn | undefined = parts[parts.length - 1]?.checkpoint;
  return { events, checkpoint };
}
