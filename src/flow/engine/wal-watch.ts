/**
 * Polls the slot's status: updates the lag metrics, alerts (or detaches the
 * slowest sink, policy `pause`) when retained WAL exceeds the budget, and
 * fails the flow when PostgreSQL has invalidated the slot.
 */

import { errorMessage, SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { CaptureStream, SlotStatus } from "../capture/api.ts";
import type { WalPolicy } from "../config/types.ts";
import type { FlowMetrics } from "./metrics.ts";
import { shouldDetach, walVerdict } from "./wal-budget.ts";

export interface WalWatchOptions {
  capture: Pick<CaptureStream, "status">;
  maxBytes: number | undefined;
  policy: WalPolicy;
  checkEveryMs: number;
  metrics: FlowMetrics;
  logger: Logger;
  slowest(): { name: string; detach(): void } | undefined;
  onInvalidated(error: SophiaError): void;
  onTick(status: SlotStatus | undefined): Promise<void>;
}

export class WalWatch {
  readonly #o: WalWatchOptions;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(options: WalWatchOptions) {
    this.#o = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.check(), this.#o.checkEveryMs);
    this.#timer.unref();
    void this.check();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async check(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    let status: SlotStatus | undefined;
    try {
      status = await this.#o.capture.status();
      this.#apply(status);
    } catch (error) {
      this.#o.logger.debug({ err: errorMessage(error) }, "slot status unavailable");
    } finally {
      this.#busy = false;
    }
    await this.#o.onTick(status);
  }

  #apply(status: SlotStatus): void {
    const { metrics, logger } = this.#o;
    metrics.slot(status);
    const verdict = walVerdict(status, this.#o.maxBytes);
    metrics.walOverBudget.set({ flow: metrics.flow }, verdict === "over-budget" ? 1 : 0);
    if (verdict === "invalidated") {
      this.#o.onInvalidated(slotInvalidated(metrics.flow, status.slot));
      return;
    }
    if (verdict !== "over-budget") return;
    const slowest = this.#o.slowest();
    logger.warn(
      {
        slot: status.slot,
        retainedBytes: Number(status.retainedBytes),
        maxBytes: this.#o.maxBytes,
        slowest: slowest?.name,
      },
      "retained WAL is over the flow's walBudget",
    );
    if (slowest !== undefined && shouldDetach(verdict, this.#o.policy)) {
      logger.error(
        { sink: slowest.name },
        `walBudget policy pause: sink "${slowest.name}" no longer holds the slot back and misses changes until restart; refill it with sophia flow backfill ${metrics.flow}`,
      );
      slowest.detach();
    }
  }
}

export function slotInvalidated(flow: string, slot: string): SophiaError {
  return new SophiaError(
    "FLOW_SLOT_INVALIDATED",
    `flow ${flow}: PostgreSQL invalidated replication slot "${slot}" (the WAL it needed was removed, max_slot_wal_keep_size)`,
    {
      hint: `changes were lost in between: run SELECT pg_drop_replication_slot('${slot}'); then sophia flow run (a new slot) and sophia flow backfill ${flow}`,
    },
  );
}
