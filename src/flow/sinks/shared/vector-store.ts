/**
 * Sinks for external vector databases (Qdrant, Weaviate, Pinecone) share one
 * shape: the batch's net effect per key (the pgvector plan) applied through a
 * small store adapter. Point ids are derived from table, key and chunk, so a
 * retried batch overwrites instead of duplicating (at-least-once, idempotent).
 */

import { errorMessage, SophiaError } from "../../../shared/errors.ts";
import type { Logger } from "../../../shared/logger.ts";
import type { ChangeBatch, Row } from "../../events.ts";
import { formatLsn } from "../../lsn.ts";
import type { Sink } from "../../sink.ts";
import { type KeyAction, planVectorBatch } from "../pgvector/plan.ts";
import { chunkId } from "./key.ts";

export interface VectorPoint {
  id: string;
  table: string;
  key: string;
  chunk: number;
  vector: number[];
  content: string;
  contentHash: string;
  metadata: Row;
  lsn: string;
}

export interface KeyRef {
  table: string;
  key: string;
}

export interface VectorStoreAdapter {
  /** Creates or checks the collection/class/index. */
  prepare(): Promise<void>;
  upsert(points: VectorPoint[]): Promise<void>;
  /** Removes each key's chunks at or past `count`. */
  trim(keys: Array<KeyRef & { count: number }>): Promise<void>;
  deleteKeys(keys: KeyRef[]): Promise<void>;
  setMetadata(items: Array<KeyRef & { metadata: Row; lsn: string }>): Promise<void>;
  truncate(table: string): Promise<void>;
  close(): Promise<void>;
}

export function pointsOf(action: KeyAction): VectorPoint[] {
  if (action.type !== "upsert") return [];
  return action.chunks.flatMap((c) =>
    c.embedding === null
      ? []
      : [
          {
            id: chunkId(action.table, action.key, c.index),
            table: action.table,
            key: action.key,
            chunk: c.index,
            vector: c.embedding,
            content: c.content ?? "",
            contentHash: c.contentHash ?? "",
            metadata: action.metadata,
            lsn: formatLsn(action.at.lsn),
          },
        ],
  );
}

/** Rows without an embedding cannot be stored as vectors: their key's points are removed instead. */
async function applyKeys(store: VectorStoreAdapter, actions: KeyAction[]): Promise<void> {
  const points = actions.flatMap(pointsOf);
  const embedded = new Set(points.map((p) => `${p.table}\u0000${p.key}`));
  const ref = (a: KeyAction) => ({ table: a.table, key: a.key });
  const removed = actions.filter(
    (a) =>
      a.type === "delete" || (a.type === "upsert" && !embedded.has(`${a.table}\u0000${a.key}`)),
  );
  if (removed.length > 0) await store.deleteKeys(removed.map(ref));
  if (points.length > 0) {
    await store.upsert(points);
    const upserts = actions.filter(
      (a) => a.type === "upsert" && embedded.has(`${a.table}\u0000${a.key}`),
    );
    await store.trim(
      upserts.map((a) => ({ ...ref(a), count: a.type === "upsert" ? a.chunks.length : 0 })),
    );
  }
  const metadata = actions.flatMap((a) =>
    a.type === "metadata" ? [{ ...ref(a), metadata: a.metadata, lsn: formatLsn(a.at.lsn) }] : [],
  );
  if (metadata.length > 0) await store.setMetadata(metadata);
}

export interface VectorSinkSettings {
  name: string;
  kind: string;
  textColumns: readonly string[];
  logger: Logger;
}

export function createVectorStoreSink(
  settings: VectorSinkSettings,
  makeStore: () => VectorStoreAdapter,
): Sink {
  let store: VectorStoreAdapter | undefined;
  const { name, kind } = settings;
  const failed = (what: string, error: unknown) =>
    error instanceof SophiaError
      ? error
      : new SophiaError(
          "FLOW_SINK_FAILED",
          `sink "${name}" (${kind}): ${what}: ${errorMessage(error)}`,
          {
            hint: "check the sink's url, credentials and collection; the engine retries the batch",
            cause: error,
          },
        );

  async function write(batch: ChangeBatch): Promise<void> {
    if (store === undefined) throw failed("write", new Error("used before start()"));
    for (const step of planVectorBatch(batch.events, settings.textColumns)) {
      if (step.kind === "truncate") await store.truncate(step.table);
      else await applyKeys(store, [...step.actions.values()]);
    }
  }

  return {
    name,
    guarantee: "at-least-once",
    async start() {
      const fresh = store ?? makeStore();
      try {
        await fresh.prepare();
        store = fresh;
      } catch (error) {
        throw failed("cannot prepare the store", error);
      }
    },
    async write(batch) {
      try {
        await write(batch);
      } catch (error) {
        throw failed("batch not written", error);
      }
    },
    async stop() {
      const current = store;
      store = undefined;
      await current?.close();
    },
  };
}
