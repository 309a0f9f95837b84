/**
 * Net effect of a batch on a chunk table, per source row: its final chunks
 * (or one empty chunk 0 when nothing was embedded), a metadata-only update
 * when the embedded text did not change, or removal of every chunk.
 */
import type { ChangeEvent, Row } from "../../events.ts";
import { keyText, sourceTable } from "../shared/key.ts";

export interface Position {
  lsn: bigint;
  seq: number;
}

export interface ChunkRow {
  index: number;
  content: string | null;
  embedding: number[] | null;
  contentHash: string | null;
}

export type KeyAction =
  | { type: "upsert"; table: string; key: string; chunks: ChunkRow[]; metadata: Row; at: Position }
  | { type: "metadata"; table: string; key: string; metadata: Row; at: Position }
  | { type: "delete"; table: string; key: string; at: Position };

export type VectorStep =
  | { kind: "truncate"; table: string }
  | { kind: "keys"; actions: Map<string, KeyAction> };

/** The row minus its embedded text columns. */
export function metadataOf(row: Row | null, textColumns: readonly string[]): Row {
  const metadata: Row = { ...row };
  for (const column of textColumns) delete metadata[column];
  return metadata;
}

function chunksOf(event: ChangeEvent): ChunkRow[] {
  if (event.chunks === undefined || event.chunks.length === 0) {
    return [{ index: 0, content: null, embedding: null, contentHash: null }];
  }
  return event.chunks.map((c) => ({
    index: c.index,
    content: c.text,
    embedding: c.embedding,
    contentHash: c.contentHash,
  }));
}

function rowAction(
  event: ChangeEvent,
  previous: KeyAction | undefined,
  textColumns: readonly string[],
): KeyAction {
  const table = sourceTable(event);
  const key = keyText(event.key);
  const at = { lsn: event.source.commitLsn, seq: event.source.seq };
  const metadata = metadataOf(event.after, textColumns);
  if (event.chunksUnchanged !== true)
    return { type: "upsert", table, key, chunks: chunksOf(event), metadata, at };
  if (previous?.type === "upsert") return { ...previous, metadata, at };
  return { type: "metadata", table, key, metadata, at };
}

export function planVectorBatch(
  events: ChangeEvent[],
  textColumns: readonly string[],
): VectorStep[] {
  const steps: VectorStep[] = [];
  let actions = new Map<string, KeyAction>();
  for (const event of events) {
    const table = sourceTable(event);
    if (event.op === "truncate") {
      if (actions.size > 0) steps.push({ kind: "keys", actions });
      steps.push({ kind: "truncate", table });
      actions = new Map();
      continue;
    }
    const at = { lsn: event.source.commitLsn, seq: event.source.seq };
    const id = `${table}\u0000${keyText(event.key)}`;
    if (event.op === "delete") {
      actions.set(id, { type: "delete", table, key: keyText(event.key), at });
      continue;
    }
    let previous = actions.get(id);
    if (event.previousKey !== undefined && keyText(event.previousKey) !== keyText(event.key)) {
      const oldId = `${table}\u0000${keyText(event.previousKey)}`;
      previous = actions.get(oldId);
      actions.set(oldId, { type: "delete", table, key: keyText(event.previousKey), at });
    }
    actions.set(id, rowAction(event, previous, textColumns));
  }
  if (actions.size > 0) steps.push({ kind: "keys", actions });
  return steps;
}
