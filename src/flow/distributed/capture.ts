/**
 * `sophia flow capture`: the one process per flow that reads the slot and
 * publishes every change to JetStream (Nats-Msg-Id = event id, so a replay
 * after a crash is dropped as a duplicate). The engine acknowledges the slot
 * only after every PubAck. A second process waits on the leader lock.
 */
import type { SophiaConfig } from "../../config/index.ts";
import { errorMessage, isSophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { DistributedSpec, FlowSpec } from "../config/types.ts";
import {
  type BackfillableFlow,
  backfillTables,
  openBackfillableFlow,
  pendingInitialBackfills,
} from "../engine/backfill-flow.ts";
import type { FaultHook } from "../engine/faults.ts";
import { Aborted, retryUntil } from "../engine/retry.ts";
import { createNatsSink, natsSinkOptions } from "../sinks/index.ts";
import { LeaderLock } from "./leader-lock.ts";
import { distributedOf } from "./worker.ts";

export interface CaptureOptions {
  config: SophiaConfig | undefined;
  cwd: string;
  logger: Logger;
  signal: AbortSignal;
  fault?: FaultHook;
  onStandby?(): void;
  onLead?(): void;
}

/** The name the publishing sink has in state and status. */
export const PUBLISHER = "jetstream";

export function publisherFor(spec: FlowSpec, distributed: DistributedSpec, logger: Logger) {
  const options = natsSinkOptions.parse({
    kind: "nats",
    servers: distributed.servers,
    subjectPrefix: distributed.subjectPrefix,
    stream: { name: distributed.stream },
  });
  return createNatsSink(PUBLISHER, options, { logger, flow: spec.name });
}

/** Resolves when `signal` aborts (after a clean stop); rejects when the flow fails or the lock is lost. */
export async function runDistributedCapture(spec: FlowSpec, o: CaptureOptions): Promise<void> {
  const distributed = distributedOf(spec);
  const logger = o.logger.child({ flow: spec.name });
  const lock = new LeaderLock({
    connectionString: spec.source.connectionString,
    role: `sophia.flow:${spec.name}:capture`,
    pollMs: distributed.standbyPollMs,
    logger,
    ...(o.onStandby ? { onStandby: o.onStandby } : {}),
  });
  if (!(await lock.acquire(o.signal))) return;
  let flow: BackfillableFlow | undefined;
  try {
    flow = await openWhileSlotBusy(spec, o, distributed, logger);
    if (flow === undefined) return;
    o.onLead?.();
    const run = flow.engine.run();
    void initialBackfill(flow, spec, logger);
    const stopped = new Promise<void>((resolve) =>
      o.signal.aborted
        ? resolve()
        : o.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    await Promise.race([run, stopped, lock.lost.then((error) => Promise.reject(error))]);
  } finally {
    await flow?.engine.stop();
    await lock.release();
  }
}

/** The old leader's walsender may hold the slot for a moment after it died: retry while it does. */
async function openWhileSlotBusy(
  spec: FlowSpec,
  o: CaptureOptions,
  d: DistributedSpec,
  logger: Logger,
) {
  try {
    return await retryUntil(
      async () =>
        openBackfillableFlow(spec, {
          config: o.config,
          cwd: o.cwd,
          logger: o.logger,
          sinks: [publisherFor(spec, d, logger)],
          ...(o.fault ? { fault: o.fault } : {}),
        }),
      {
        backoff: { firstMs: 200, maxMs: 2000 },
        signal: o.signal,
        onFailure: (error) => {
          if (!isSophiaError(error, "FLOW_SLOT_IN_USE")) throw error;
          logger.info(
            { err: errorMessage(error) },
            "slot still held by the previous leader; retrying",
          );
        },
      },
    );
  } catch (error) {
    if (error instanceof Aborted) return undefined;
    throw error;
  }
}

async function initialBackfill(
  flow: BackfillableFlow,
  spec: FlowSpec,
  logger: Logger,
): Promise<void> {
  try {
    const tables = await pendingInitialBackfills(flow.state, spec);
    if (tables.length > 0)
      await backfillTables(flow, spec, tables, { chunkSize: spec.backfill.chunkSize });
  } catch (error) {
    logger.warn(
      { err: errorMessage(error) },
      "initial backfill stopped; it resumes when this flow leads again",
    );
  }
}
