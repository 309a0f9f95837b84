/**
 * Backfill of one table inside a running flow: resumes after the saved key,
 * and saves progress only once the engine has acknowledged the chunk's
 * position (its rows are durable in every sink by then).
 */
import type { BackfillProgress as CaptureProgress } from "../capture/index.ts";
import {
  type BackfillProgress,
  type Json,
  loadBackfill,
  type StateStore,
  saveBackfill,
} from "../state/store.ts";
import type { AckWatch } from "./backfill-acks.ts";

export interface BackfillReport {
  table: string;
  rowsDone: number;
  /** pg_class.reltuples when the backfill began; -1 when never analysed. */
  estimatedRows: number;
  /** Rows done when this run began (from the saved progress). */
  resumedAt: number;
  done: boolean;
}

export interface TableBackfillOptions {
  watch: AckWatch;
  state: StateStore;
  flow: string;
  table: string;
  chunkSize: number;
  /** Ignore saved progress and copy the table again from its first key. */
  restart?: boolean;
  onProgress?(report: BackfillReport): void;
}

/** Resolves once every chunk is in the stream and the last progress is saved (acknowledged). */
export async function backfillOneTable(options: TableBackfillOptions): Promise<BackfillReport> {
  const { watch, state, flow } = options;
  const saved = options.restart ? undefined : await loadBackfill(state, flow, options.table);
  if (saved?.done === true) {
    const report = fromSaved(saved, true);
    options.onProgress?.(report);
    return report;
  }
  const resumedAt = saved?.rowsDone ?? 0;
  let saving: Promise<void> = Promise.resolve();
  const final = await watch.capture.backfillTable({
    table: options.table,
    chunkSize: options.chunkSize,
    ...(saved === undefined ? {} : { resumeFrom: toCapture(saved) }),
    onProgress: (progress) => {
      options.onProgress?.({ ...report(progress), resumedAt });
      const record = toState(progress);
      saving = saving
        .then(() => watch.whenAcked(progress.durableAfter))
        .then(() => saveBackfill(state, flow, record));
      saving.catch(() => undefined); // awaited below; this only marks it handled meanwhile
    },
  });
  await saving;
  return { ...report(final), resumedAt };
}

function report(progress: CaptureProgress): Omit<BackfillReport, "resumedAt"> {
  return {
    table: progress.table,
    rowsDone: progress.rowsDone,
    estimatedRows: progress.estimatedRows,
    done: progress.done,
  };
}

function fromSaved(saved: BackfillProgress, done: boolean): BackfillReport {
  return {
    table: saved.table,
    rowsDone: saved.rowsDone,
    estimatedRows: saved.rowsTotal,
    resumedAt: saved.rowsDone,
    done,
  };
}

export function toState(progress: CaptureProgress): BackfillProgress {
  return {
    table: progress.table,
    lastKey: progress.lastKey === undefined ? null : (progress.lastKey as Record<string, Json>),
    rowsDone: progress.rowsDone,
    rowsTotal: progress.estimatedRows,
    done: progress.done,
  };
}

/** Saved progress was acknowledged before it was saved, so the stream position no longer matters. */
export function toCapture(saved: BackfillProgress): CaptureProgress {
  return {
    table: saved.table,
    lastKey: saved.lastKey ?? undefined,
    rowsDone: saved.rowsDone,
    estimatedRows: saved.rowsTotal,
    done: false,
    durableAfter: 0n,
  };
}
