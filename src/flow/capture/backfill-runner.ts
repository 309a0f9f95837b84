/**
 * Runs backfills against the stream: emits the watermarks, reads chunks, and
 * when the stream reaches a high watermark, places the chunk's surviving rows
 * there as `read` events.
 */
import { randomUUID } from "node:crypto";
import type { ChangeEvent, Row } from "../events.ts";
import type { Lsn } from "../lsn.ts";
import type { LogicalMessage } from "./assembler.ts";
import {
  type BackfillOptions,
  type BackfillProgress,
  estimateRows,
  noKeyForBackfill,
  readChunk,
  WATERMARK_PREFIX,
} from "./backfill.ts";
import { BackfillWindow } from "./backfill-window.ts";
import type { SourceDb } from "./source-db.ts";
import { splitTable } from "./sql.ts";

interface Pending {
  window: BackfillWindow;
  rows: Row[];
  placed(at: Lsn): void;
  fail(reason: unknown): void;
}

export class BackfillRunner {
  readonly #db: SourceDb;
  readonly #keys: ReadonlyMap<string, readonly string[]>;
  readonly #push: (event: ChangeEvent) => void;
  readonly #pending = new Map<string, Pending>();

  constructor(
    db: SourceDb,
    keys: ReadonlyMap<string, readonly string[]>,
    push: (event: ChangeEvent) => void,
  ) {
    this.#db = db;
    this.#keys = keys;
    this.#push = push;
  }

  /** Every stream event, so open windows learn which keys the stream touched. */
  observe(event: ChangeEvent): void {
    if (this.#pending.size === 0) return;
    for (const pending of this.#pending.values()) pending.window.observe(event);
  }

  onMessage(message: LogicalMessage, txCommitLsn: Lsn | undefined): void {
    if (message.prefix !== WATERMARK_PREFIX || txCommitLsn === undefined) return;
    const [kind, id] = message.content.toString("utf8").split(":");
    const pending = this.#pending.get(id ?? "");
    if (pending === undefined) return;
    if (kind === "low") pending.window.openAtLow();
    if (kind !== "high") return;
    this.#pending.delete(id as string);
    const { schema, table } = pending.window;
    const now = Date.now();
    pending.window.survivors(pending.rows).forEach((row, seq) => {
      const key: Row = {};
      for (const column of pending.window.keyColumns) key[column] = row[column] ?? null;
      this.#push({
        op: "read",
        key,
        before: null,
        after: row,
        source: { schema, table, commitLsn: txCommitLsn, seq, txId: 0, commitTimeMs: now },
      });
    });
    pending.placed(txCommitLsn);
  }

  async run(options: BackfillOptions, alive: () => void): Promise<BackfillProgress> {
    const { schema, table } = splitTable(options.table);
    const name = `${schema}.${table}`;
    const keyColumns = this.#keys.get(name) ?? [];
    if (keyColumns.length === 0) throw noKeyForBackfill(name);
    const chunkSize = options.chunkSize ?? 1000;
    let progress: BackfillProgress = options.resumeFrom ?? {
      table: name,
      lastKey: undefined,
      rowsDone: 0,
      estimatedRows: await this.#db.use((c) => estimateRows(c, name)),
      done: false,
      durableAfter: 0n,
    };
    while (!progress.done) {
      alive();
      const { rows, at } = await this.#chunk(
        new BackfillWindow(randomUUID(), schema, table, keyColumns),
        name,
        progress.lastKey,
        chunkSize,
      );
      const last = rows.at(-1);
      const lastKey =
        last === undefined
          ? progress.lastKey
          : Object.fromEntries(keyColumns.map((c) => [c, last[c] ?? null]));
      progress = {
        ...progress,
        lastKey,
        rowsDone: progress.rowsDone + rows.length,
        done: rows.length < chunkSize,
        durableAfter: at,
      };
      await options.onProgress?.(progress);
    }
    return progress;
  }

  async #chunk(
    window: BackfillWindow,
    name: string,
    after: Row | undefined,
    limit: number,
  ): Promise<{ rows: Row[]; at: Lsn }> {
    const emit = (kind: string) =>
      this.#db.use((c) =>
        c.query("SELECT pg_logical_emit_message(true, $1, $2)", [
          WATERMARK_PREFIX,
          `${kind}:${window.id}`,
        ]),
      );
    const pending: Pending = { window, rows: [], placed: () => {}, fail: () => {} };
    const placed = new Promise<Lsn>((resolve, reject) => {
      pending.placed = resolve;
      pending.fail = reject;
    });
    this.#pending.set(window.id, pending);
    try {
      await emit("low");
      pending.rows = await this.#db.use((c) => readChunk(c, name, window.keyColumns, after, limit));
      await emit("high");
      return { rows: pending.rows, at: await placed };
    } finally {
      this.#pending.delete(window.id);
    }
  }

  /** Stop: backfills waiting for their high watermark give up. */
  cancel(reason: unknown): void {
    for (const pending of this.#pending.values()) pending.fail(reason);
    this.#pending.clear();
  }
}
