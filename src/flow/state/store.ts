/**
 * Where a flow keeps what must survive a restart: per-sink checkpoints,
 * backfill progress and its last reported status. Values are JSON; one
 * record per (flow, key). Implementations: PostgreSQL (schema sophia_flow)
 * and a directory of JSON files.
 */
import type { Lsn } from "../lsn.ts";
import { formatLsn, parseLsn } from "../lsn.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface StateStore {
  /** Creates what it needs (schema, table, directory); safe to call again. */
  open(): Promise<void>;
  get(flow: string, key: string): Promise<Json | undefined>;
  set(flow: string, key: string, value: Json): Promise<void>;
  /** Every key of a flow starting with `prefix`, with its value. */
  list(flow: string, prefix: string): Promise<Map<string, Json>>;
  delete(flow: string, key: string): Promise<void>;
  close(): Promise<void>;
}

/** Backfill of one table: resumes after `lastKey`. */
export interface BackfillProgress {
  table: string;
  /** Key columns → values of the last row copied; null before the first. */
  lastKey: Record<string, Json> | null;
  rowsDone: number;
  /** Estimate taken when the backfill started. */
  rowsTotal: number;
  done: boolean;
}

export interface FlowStatusRecord {
  state: "running" | "stopped" | "failed";
  updatedAtMs: number;
  ackedLsn: string | null;
  /** Age of the oldest unacknowledged change at the last slot check; null when unknown. */
  lagSeconds: number | null;
  sinks: Record<string, { checkpoint: string | null; eventsOut: number; paused: boolean }>;
  error: string | null;
}

const CHECKPOINT = "checkpoint/";
const BACKFILL = "backfill/";
const STATUS = "status";

export async function loadCheckpoint(
  store: StateStore,
  flow: string,
  sink: string,
): Promise<Lsn | undefined> {
  const value = await store.get(flow, CHECKPOINT + sink);
  return typeof value === "string" ? parseLsn(value) : undefined;
}

export function saveCheckpoint(
  store: StateStore,
  flow: string,
  sink: string,
  lsn: Lsn,
): Promise<void> {
  return store.set(flow, CHECKPOINT + sink, formatLsn(lsn));
}

export async function loadBackfill(
  store: StateStore,
  flow: string,
  table: string,
): Promise<BackfillProgress | undefined> {
  const value = await store.get(flow, BACKFILL + table);
  return value === undefined ? undefined : (value as unknown as BackfillProgress);
}

export function saveBackfill(
  store: StateStore,
  flow: string,
  progress: BackfillProgress,
): Promise<void> {
  return store.set(flow, BACKFILL + progress.table, progress as unknown as Json);
}

export async function listBackfill(store: StateStore, flow: string): Promise<BackfillProgress[]> {
  const all = await store.list(flow, BACKFILL);
  return [...all.values()].map((value) => value as unknown as BackfillProgress);
}

export async function loadStatus(
  store: StateStore,
  flow: string,
): Promise<FlowStatusRecord | undefined> {
  const value = await store.get(flow, STATUS);
  return value === undefined ? undefined : (value as unknown as FlowStatusRecord);
}

export function saveStatus(
  store: StateStore,
  flow: string,
  status: FlowStatusRecord,
): Promise<void> {
  return store.set(flow, STATUS, status as unknown as Json);
}
