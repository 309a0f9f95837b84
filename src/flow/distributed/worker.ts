/**
 * `sophia flow worker`: for each chosen sink, wait for its leader lock
 * (standby), then feed it from its durable consumer until stopped or the
 * lock is lost. Sinks are independent: each has its own lock and consumer.
 */
import { connect } from "@nats-io/transport-node";
import type { SophiaConfig } from "../../config/index.ts";
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { DistributedSpec, FlowSpec, SinkSpec } from "../config/types.ts";
import { validateOptions } from "../engine/parts.ts";
import { Aborted, DEFAULT_BACKOFF, retryUntil } from "../engine/retry.ts";
import { deadLetterStoreFor } from "../engine/start-flow.ts";
import { createSink, sinkConfigSchema } from "../sinks/index.ts";
import { LeaderLock } from "./leader-lock.ts";
import { consumeIntoSink } from "./sink-consumer.ts";

export interface WorkerOptions {
  config: SophiaConfig | undefined;
  cwd: string;
  logger: Logger;
  signal: AbortSignal;
  onStandby?(sink: string): void;
  onLead?(sink: string): void;
}

export function distributedOf(spec: FlowSpec): DistributedSpec {
  if (spec.distributed !== undefined) return spec.distributed;
  throw new SophiaError("CONFIG_INVALID", `flow ${spec.name} has no distributed: section`, {
    hint: `add flows.${spec.name}.distributed: { nats: nats://host:4222 } (see docs/flow.md)`,
  });
}

export function workerRole(flow: string, sink: string): string {
  return `sophia.flow:${flow}:worker:${sink}`;
}

/** Runs one sink's worker until `signal` aborts; rejects when its lock is lost or the sink fails for good. */
export async function runSinkWorker(spec: FlowSpec, sinkSpec: SinkSpec, o: WorkerOptions) {
  const distributed = distributedOf(spec);
  const logger = o.logger.child({ flow: spec.name, sink: sinkSpec.name });
  const lock = new LeaderLock({
    connectionString: spec.source.connectionString,
    role: workerRole(spec.name, sinkSpec.name),
    pollMs: distributed.standbyPollMs,
    logger,
    onStandby: () => o.onStandby?.(sinkSpec.name),
  });
  if (!(await lock.acquire(o.signal))) return;
  const deadLetters = deadLetterStoreFor(spec.state, o.cwd);
  const ctx = { config: o.config, configDir: o.cwd, logger, deadLetters };
  const options = validateOptions(
    ctx,
    sinkSpec,
    { kind: sinkSpec.kind, ...(sinkSpec.options as object) },
    sinkConfigSchema,
  );
  const sink = createSink(sinkSpec.name, options, {
    logger,
    flow: spec.name,
    deadLetters,
    sourceConnectionString: spec.source.connectionString,
  });
  const stop = new AbortController();
  const abort = () => stop.abort();
  o.signal.addEventListener("abort", abort, { once: true });
  let lostError: unknown;
  void lock.lost.then((error) => {
    lostError = error;
    stop.abort();
  });
  try {
    await deadLetters.start();
    await retryUntil(() => sink.start(), {
      backoff: DEFAULT_BACKOFF,
      signal: stop.signal,
      onFailure: (error, attempt) =>
        logger.warn({ attempt, err: errorMessage(error) }, "sink cannot start; retrying"),
    });
    const nc = await connect({
      servers: distributed.servers,
      name: `sophia-worker-${spec.name}-${sinkSpec.name}`,
    });
    try {
      o.onLead?.(sinkSpec.name);
      await consumeIntoSink({ nc, spec: distributed, sink, logger, signal: stop.signal });
    } finally {
      await nc.drain().catch(() => undefined);
    }
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
  } finally {
    o.signal.removeEventListener("abort", abort);
    await sink.stop().catch(() => undefined);
    await deadLetters.stop().catch(() => undefined);
    await lock.release();
  }
  if (lostError !== undefined) throw lostError;
}
