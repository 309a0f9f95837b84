/**
 * In-memory CaptureStream and Sink: our own interfaces implemented for engine
 * tests (no database is mocked; the real ones are tested in integration).
 */
import type { CaptureStream, SlotStatus } from "../../../src/flow/capture/api.ts";
import type { ChangeBatch, ChangeEvent } from "../../../src/flow/events.ts";
import type { Lsn } from "../../../src/flow/lsn.ts";
import type { DeliveryGuarantee, Sink } from "../../../src/flow/sink.ts";

/** One transaction per LSN: `count` inserts with ids from `firstId`. */
export function txBatch(lsn: number, ids: number[]): ChangeBatch {
  const events: ChangeEvent[] = ids.map((id, seq) => ({
    op: "insert",
    key: { id },
    before: null,
    after: { id, v: `row ${id}` },
    source: {
      schema: "public",
      table: "t",
      commitLsn: BigInt(lsn),
      seq,
      txId: lsn,
      commitTimeMs: Date.now(),
    },
  }));
  return { events, checkpoint: BigInt(lsn) };
}

export class MemoryCapture implements CaptureStream {
  readonly batches: ChangeBatch[];
  readonly acks: Lsn[] = [];
  pulled = 0;
  stopped = false;
  slot: Partial<SlotStatus> = {};
  #wake: (() => void) | undefined;

  constructor(batches: ChangeBatch[]) {
    this.batches = [...batches];
  }

  push(batch: ChangeBatch): void {
    this.batches.push(batch);
    this.#wake?.();
  }

  async next(): Promise<ChangeBatch | undefined> {
    for (let round = 0; round < 1_000_000; round++) {
      if (this.stopped) return undefined;
      const batch = this.batches[this.pulled];
      if (batch !== undefined) {
        this.pulled++;
        return batch;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
    return undefined;
  }

  acknowledge(lsn: Lsn): void {
    this.acks.push(lsn);
  }

  async status(): Promise<SlotStatus> {
    return {
      slot: "memory",
      active: true,
      walStatus: "reserved",
      currentLsn: 0n,
      confirmedFlushLsn: this.acks.at(-1) ?? 0n,
      restartLsn: 0n,
      lagBytes: 0n,
      retainedBytes: 0n,
      lagSeconds: 0,
      ...this.slot,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.#wake?.();
  }
}

export class MemorySink implements Sink {
  readonly name: string;
  readonly guarantee: DeliveryGuarantee;
  readonly written: ChangeEvent[] = [];
  readonly checkpoints: (Lsn | undefined)[] = [];
  failNext = 0;
  delayMs = 0;
  /** While set, writes wait for it to be released. */
  gate: Promise<void> | undefined;
  stored: Lsn | undefined;
  started = 0;
  stopped = false;

  constructor(name: string, guarantee: DeliveryGuarantee = "at-least-once") {
    this.name = name;
    this.guarantee = guarantee;
  }

  async start(): Promise<void> {
    this.started++;
  }

  async write(batch: ChangeBatch): Promise<void> {
    if (this.gate) await this.gate;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error(`${this.name} is down`);
    }
    this.written.push(...batch.events);
    this.checkpoints.push(batch.checkpoint);
    if (batch.checkpoint !== undefined) this.stored = batch.checkpoint;
  }

  storedCheckpoint?: () => Promise<Lsn | undefined> = undefined;

  async stop(): Promise<void> {
    this.stopped = true;
  }

  ids(): number[] {
    return this.written.map((event) => event.key.id as number);
  }
}
