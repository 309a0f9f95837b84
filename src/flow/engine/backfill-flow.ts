/**
 * A flow engine that can backfill: the engine reads the capture through an
 * AckWatch, and shares its state store with the backfill, so progress and
 * checkpoints live in one place.
 */
import type { FlowSpec } from "../config/types.ts";
import { openStateStore } from "../state/open.ts";
import { listBackfill, type StateStore } from "../state/store.ts";
import { AckWatch } from "./backfill-acks.ts";
import { type BackfillReport, backfillOneTable } from "./backfill-run.ts";
import type { FlowEngine } from "./engine.ts";
import { createFlowEngine, type StartFlowOptions } from "./start-flow.ts";

export interface BackfillableFlow {
  engine: FlowEngine;
  watch: AckWatch;
  state: StateStore;
}

/** Like createFlowEngine; the state store closes with the engine. */
export async function openBackfillableFlow(
  spec: FlowSpec,
  options: Omit<StartFlowOptions, "state" | "wrapCapture">,
): Promise<BackfillableFlow> {
  const state = await openStateStore(spec.state, options.cwd);
  let watch: AckWatch | undefined;
  try {
    const engine = await createFlowEngine(spec, {
      ...options,
      state,
      wrapCapture: (capture) => {
        watch = new AckWatch(capture);
        return watch;
      },
    });
    engine.onClosed(() => state.close());
    if (watch === undefined) throw new Error("createFlowEngine did not hand over its capture");
    return { engine, watch, state };
  } catch (error) {
    await state.close().catch(() => undefined);
    throw error;
  }
}

export interface BackfillRunOptions {
  chunkSize: number;
  restart?: boolean;
  onProgress?(report: BackfillReport): void;
}

/** One table after the other (each holds a chunk in the stream at a time). */
export async function backfillTables(
  flow: BackfillableFlow,
  spec: FlowSpec,
  tables: string[],
  options: BackfillRunOptions,
): Promise<BackfillReport[]> {
  const reports: BackfillReport[] = [];
  for (const table of tables)
    reports.push(
      await backfillOneTable({
        watch: flow.watch,
        state: flow.state,
        flow: spec.name,
        table,
        chunkSize: options.chunkSize,
        ...(options.restart ? { restart: true } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    );
  return reports;
}

/** The tables configured for an initial backfill that have not finished one yet. */
export async function pendingInitialBackfills(
  state: StateStore,
  spec: FlowSpec,
): Promise<string[]> {
  const finished = new Set(
    (await listBackfill(state, spec.name)).filter((p) => p.done).map((p) => p.table),
  );
  return spec.backfill.tables.filter((table) => !finished.has(table));
}
