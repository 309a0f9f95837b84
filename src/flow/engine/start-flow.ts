/** From a FlowSpec to a running-ready FlowEngine: state, dead letters, transforms, sinks, capture. */
import { join, resolve } from "node:path";
import type { SophiaConfig } from "../../config/index.ts";
import type { Logger } from "../../shared/logger.ts";
import { type Capture, type CaptureStream, openCapture } from "../capture/index.ts";
import type { FlowSpec, StateLocation } from "../config/types.ts";
import type { Sink } from "../sink.ts";
import {
  createFileDeadLetterStore,
  createPostgresDeadLetterStore,
  type DeadLetterStore,
} from "../sinks/index.ts";
import { openStateStore } from "../state/open.ts";
import type { StateStore } from "../state/store.ts";
import { FlowEngine } from "./engine.ts";
import type { FaultHook } from "./faults.ts";
import { buildSink, buildTransform, type PartsContext } from "./parts.ts";

/** Batches capture may decode ahead of the engine before it stops reading from the server. */
export const CAPTURE_BUFFER_BATCHES = 4;

export interface StartFlowOptions {
  config: SophiaConfig | undefined;
  cwd: string;
  logger: Logger;
  fault?: FaultHook;
  drainMs?: number;
  /** A state store the caller opened (and closes): backfill saves its progress in the same one. */
  state?: StateStore;
  /** Replaces the configured sinks (distributed capture publishes to JetStream only). */
  sinks?: Sink[];
  /** Wraps the capture the engine reads (backfill watches acknowledgements and reads tables through it). */
  wrapCapture?: (capture: Capture) => CaptureStream;
}

export function deadLetterStoreFor(location: StateLocation, cwd: string): DeadLetterStore {
  return location.kind === "file"
    ? createFileDeadLetterStore({ path: join(resolve(cwd, location.dir), "dead-letters.jsonl") })
    : createPostgresDeadLetterStore({
        connectionString: location.connectionString,
        schema: location.schema,
      });
}

/** Everything is closed again when a step fails, so a failed start leaves no connection open. */
export async function createFlowEngine(
  spec: FlowSpec,
  options: StartFlowOptions,
): Promise<FlowEngine> {
  const logger = options.logger.child({ flow: spec.name });
  const closers: (() => Promise<void>)[] = [];
  try {
    const state: StateStore = options.state ?? (await openStateStore(spec.state, options.cwd));
    if (options.state === undefined) closers.push(() => state.close());
    const deadLetters = deadLetterStoreFor(spec.state, options.cwd);
    await deadLetters.start();
    closers.push(() => deadLetters.stop());
    const configDir =
      options.config?.file === undefined ? options.cwd : resolve(options.config.file, "..");
    const ctx: PartsContext = { config: options.config, configDir, logger, deadLetters };
    const transforms = [];
    for (const part of spec.transforms) transforms.push(await buildTransform(part, ctx));
    const sinks = options.sinks ?? spec.sinks.map((sink) => buildSink(spec, sink, ctx));
    const capture = await openCapture(
      {
        connectionString: spec.source.connectionString,
        slot: spec.source.slot,
        publication: spec.source.publication,
        tables: spec.source.tables,
        batchSize: spec.batch.size,
        // Room to keep reading (so the walsender keeps decoding) while the sinks write; about 1 KB per event.
        maxBufferedEvents: spec.batch.size * CAPTURE_BUFFER_BATCHES,
        heartbeatMs: spec.heartbeatMs,
      },
      logger,
    );
    const engine = new FlowEngine({
      flow: spec.name,
      capture: options.wrapCapture?.(capture) ?? capture,
      transforms,
      sinks,
      state,
      logger,
      batch: spec.batch,
      queueBatches: spec.queueBatches,
      walBudget: spec.walBudget,
      ...(options.fault ? { fault: options.fault } : {}),
      ...(options.drainMs === undefined ? {} : { drainMs: options.drainMs }),
    });
    engine.onClosed(async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    });
    return engine;
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}
