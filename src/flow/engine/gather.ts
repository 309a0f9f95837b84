/**
 * Micro-batching, adaptive: after a first batch arrives, take more from
 * capture until `size` events, but only wait for more while every sink is
 * busy (and at most `maxWaitMs`). When a sink is idle, what is already
 * decoded goes out at once: an idle flow adds no waiting to a change, a busy
 * one gathers larger batches. A `next()` still pending when time is up is
 * kept for the following round, so nothing is lost or reordered.
 */
import type { CaptureStream } from "../capture/api.ts";
import type { ChangeBatch, ChangeEvent } from "../events.ts";
import type { Lsn } from "../lsn.ts";

/** Whether a sink could write a batch right now, and a wake-up when one can. */
export interface SinkReadiness {
  anyIdle(): boolean;
  /** Calls `listener` when a sink becomes idle; returns its removal. */
  onIdle(listener: () => void): () => void;
}

/** Without readiness (tests), sinks count as busy: the gatherer waits maxWaitMs as it always did. */
const ALWAYS_BUSY: SinkReadiness = {
  anyIdle: () => false,
  onIdle: () => () => undefined,
};

export class Gatherer {
  readonly #capture: Pick<CaptureStream, "next">;
  readonly #size: number;
  readonly #maxWaitMs: number;
  readonly #sinks: SinkReadiness;
  #pending: Promise<ChangeBatch | undefined> | undefined;
  #ended = false;

  constructor(
    capture: Pick<CaptureStream, "next">,
    size: number,
    maxWaitMs: number,
    sinks: SinkReadiness = ALWAYS_BUSY,
  ) {
    this.#capture = capture;
    this.#size = size;
    this.#maxWaitMs = maxWaitMs;
    this.#sinks = sinks;
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
      const hurry = this.#sinks.anyIdle();
      const left = deadline - Date.now();
      if (!hurry && left <= 0) break;
      const more = await this.#pullWithin(hurry ? 0 : left, !hurry);
      if (more === "idle") continue;
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

  /**
   * The next capture batch if it comes within `ms` ("late" otherwise; with 0,
   * only one already decoded); "idle" when a sink became idle first.
   */
  async #pullWithin(
    ms: number,
    wakeOnIdle: boolean,
  ): Promise<ChangeBatch | undefined | "late" | "idle"> {
    const pending = this.#pending ?? this.#capture.next();
    let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
    let removeListener: (() => void) | undefined;
    // Every promise raced here settles or is dropped with this call: nothing long-lived holds the batch.
    const late = new Promise<"late" | "idle">((resolve) => {
      timer = ms > 0 ? setTimeout(() => resolve("late"), ms) : setImmediate(() => resolve("late"));
      if (wakeOnIdle) removeListener = this.#sinks.onIdle(() => resolve("idle"));
    });
    const result = await Promise.race([pending, late]);
    removeListener?.();
    if (ms > 0) clearTimeout(timer as NodeJS.Timeout);
    else clearImmediate(timer as NodeJS.Immediate);
    this.#pending = result === "late" || result === "idle" ? pending : undefined;
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
