/**
 * Decoded pgoutput messages → ChangeEvents and transaction boundaries, in
 * order. Pure state machine (no I/O), so replay after a reconnect is tested
 * in memory: `prepareForReplay` makes the assembler skip what it already
 * emitted when the server sends it again from the slot's position.
 */
import type { ChangeEvent, Operation, Row } from "../events.ts";
import type { Lsn } from "../lsn.ts";
import type { PgoutputMessage, Tuple } from "./pgoutput.ts";
import { decodeError } from "./reader.ts";
import type { CachedRelation, RelationCache } from "./relations.ts";
import { keyOf, sameKey, tupleToRow, updateRows } from "./rows.ts";

export interface LogicalMessage {
  prefix: string;
  content: Buffer;
  lsn: Lsn;
  transactional: boolean;
}

export interface AssemblerOutput {
  event(event: ChangeEvent): void;
  /** A transaction ended: `endLsn` is the position to acknowledge once everything before it is durable. */
  commit(endLsn: Lsn, commitTimeMs: number): void;
  message?(message: LogicalMessage, txCommitLsn: Lsn | undefined): void;
}

interface OpenTx {
  /** Identity of the transaction in events: its commit record's LSN + 1 (see api.ts). */
  commitLsn: Lsn;
  finalLsn: Lsn;
  xid: number;
  commitTimeMs: number;
  seq: number;
  /** Events already emitted before a reconnect: skipped when the server sends them again. */
  skipBelow: number;
  skipAll: boolean;
}

export class Assembler {
  readonly #relations: RelationCache;
  readonly #out: AssemblerOutput;
  #tx: OpenTx | undefined;
  #lastCommitEnd: Lsn = 0n;
  #replay: { finalLsn: Lsn; emitted: number } | undefined;

  constructor(relations: RelationCache, out: AssemblerOutput) {
    this.#relations = relations;
    this.#out = out;
  }

  /** Commit time of the transaction being received, if any (for lag). */
  get openTxCommitTimeMs(): number | undefined {
    return this.#tx?.commitTimeMs;
  }

  /** Call when the replication connection is re-established, before new messages arrive. */
  prepareForReplay(): void {
    this.#replay =
      this.#tx === undefined ? undefined : { finalLsn: this.#tx.finalLsn, emitted: this.#tx.seq };
    this.#tx = undefined;
  }

  push(message: PgoutputMessage): void {
    switch (message.tag) {
      case "begin":
        this.#begin(message.finalLsn, message.xid, message.commitTimeMs);
        return;
      case "commit":
        this.#commit(message.endLsn, message.commitTimeMs);
        return;
      case "relation":
        this.#relations.set(message.relationId, message.schema, message.table, message.columns);
        return;
      case "type":
        this.#relations.setType(message.typeOid, message.name);
        return;
      case "insert":
        this.#row(message.relationId, "insert", null, null, message.newTuple);
        return;
      case "update":
        this.#row(
          message.relationId,
          "update",
          message.oldKind,
          message.oldTuple,
          message.newTuple,
        );
        return;
      case "delete":
        this.#row(message.relationId, "delete", message.oldKind, message.oldTuple, null);
        return;
      case "truncate":
        for (const id of message.relationIds)
          this.#emit(this.#relation(id), "truncate", {}, null, null);
        return;
      case "message":
        if (this.#tx?.skipAll !== true)
          this.#out.message?.(message, message.transactional ? this.#tx?.commitLsn : undefined);
        return;
      case "origin":
        return;
    }
  }

  #begin(finalLsn: Lsn, xid: number, commitTimeMs: number): void {
    const replay = this.#replay;
    // Earlier transactions replayed before the partial one keep the replay state for it.
    if (replay !== undefined && finalLsn >= replay.finalLsn) this.#replay = undefined;
    this.#tx = {
      commitLsn: finalLsn + 1n,
      finalLsn,
      xid,
      commitTimeMs,
      seq: 0,
      skipBelow: replay !== undefined && replay.finalLsn === finalLsn ? replay.emitted : 0,
      // Already emitted in full before the reconnect (the server replays from its last flushed position).
      skipAll: finalLsn < this.#lastCommitEnd,
    };
  }

  #commit(endLsn: Lsn, commitTimeMs: number): void {
    const tx = this.#tx;
    this.#tx = undefined;
    if (tx?.skipAll === true) return;
    this.#lastCommitEnd = endLsn;
    this.#out.commit(endLsn, commitTimeMs);
  }

  #relation(id: number): CachedRelation {
    const relation = this.#relations.get(id);
    if (relation === undefined)
      throw decodeError(`a row for relation ${id} arrived before its Relation message`);
    return relation;
  }

  #row(
    id: number,
    op: Operation,
    oldKind: "K" | "O" | null,
    oldTuple: Tuple | null,
    newTuple: Tuple | null,
  ): void {
    if (this.#tx?.skipAll === true) return;
    const relation = this.#relation(id);
    if (op === "insert" && newTuple !== null) {
      const after = tupleToRow(relation, newTuple);
      this.#emit(relation, op, keyOf(relation, after), null, after);
      return;
    }
    if (op === "delete" && oldTuple !== null) {
      const full = tupleToRow(relation, oldTuple);
      const before = oldKind === "K" ? keyOf(relation, full) : full;
      this.#emit(relation, op, keyOf(relation, full), before, null);
      return;
    }
    if (newTuple === null) return;
    const rows = updateRows(relation, oldKind, oldTuple, newTuple);
    const after = rows.after as Row;
    const key = keyOf(relation, after);
    const previousKey = rows.before === null ? undefined : keyOf(relation, rows.before);
    const moved = previousKey !== undefined && !sameKey(previousKey, key) ? previousKey : undefined;
    this.#emit(relation, op, key, rows.before, after, rows.unchanged, moved);
  }

  #emit(
    relation: CachedRelation,
    op: Operation,
    key: Row,
    before: Row | null,
    after: Row | null,
    unchanged?: string[],
    previousKey?: Row,
  ): void {
    const tx = this.#tx;
    if (tx === undefined) throw decodeError(`${op} outside a transaction`);
    const seq = tx.seq++;
    if (seq < tx.skipBelow) return;
    const event: ChangeEvent = {
      op,
      key,
      before,
      after,
      source: {
        schema: relation.schema,
        table: relation.table,
        commitLsn: tx.commitLsn,
        seq,
        txId: tx.xid,
        commitTimeMs: tx.commitTimeMs,
      },
    };
    if (unchanged !== undefined) event.unchanged = unchanged;
    if (previousKey !== undefined) event.previousKey = previousKey;
    this.#out.event(event);
  }
}
