/**
 * pgoutput (protocol version 1) decoder: one logical replication message,
 * read straight from the CopyData buffer. Pure; throws only FLOW_PROTOCOL.
 */
import type { Lsn } from "../lsn.ts";
import { decodeError, Reader } from "./reader.ts";

/** A column value PostgreSQL did not send because it is an unchanged TOAST value. */
export const UNCHANGED: unique symbol = Symbol("unchanged-toast");
/** Column values in text format; null for SQL NULL. */
export type TupleValue = string | null | typeof UNCHANGED;
export type Tuple = TupleValue[];

export interface RelationColumn {
  /** Part of the replica identity (all columns under REPLICA IDENTITY FULL). */
  isKey: boolean;
  name: string;
  typeOid: number;
  typeMod: number;
}

export type PgoutputMessage =
  | { tag: "begin"; finalLsn: Lsn; commitTimeMs: number; xid: number }
  | { tag: "commit"; flags: number; commitLsn: Lsn; endLsn: Lsn; commitTimeMs: number }
  | { tag: "origin"; originLsn: Lsn; name: string }
  | {
      tag: "relation";
      relationId: number;
      schema: string;
      table: string;
      replicaIdentity: string;
      columns: RelationColumn[];
    }
  | { tag: "type"; typeOid: number; schema: string; name: string }
  | { tag: "insert"; relationId: number; newTuple: Tuple }
  | {
      tag: "update";
      relationId: number;
      oldKind: "K" | "O" | null;
      oldTuple: Tuple | null;
      newTuple: Tuple;
    }
  | { tag: "delete"; relationId: number; oldKind: "K" | "O"; oldTuple: Tuple }
  | { tag: "truncate"; options: number; relationIds: number[] }
  | { tag: "message"; transactional: boolean; lsn: Lsn; prefix: string; content: Buffer };

/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
const PG_EPOCH_MICROS = 946_684_800_000_000;

export function pgTimeToMs(micros: number): number {
  return Math.floor((micros + PG_EPOCH_MICROS) / 1000);
}

/** Decodes the message in `buf[start, end)`. */
export function decodePgoutput(buf: Buffer, start = 0, end = buf.length): PgoutputMessage {
  const r = new Reader(buf, start, end);
  const tag = r.u8();
  switch (tag) {
    case 0x42: // B
      return {
        tag: "begin",
        finalLsn: r.u64(),
        commitTimeMs: pgTimeToMs(r.i64Number()),
        xid: r.u32(),
      };
    case 0x43: // C
      return {
        tag: "commit",
        flags: r.u8(),
        commitLsn: r.u64(),
        endLsn: r.u64(),
        commitTimeMs: pgTimeToMs(r.i64Number()),
      };
    case 0x4f: // O
      return { tag: "origin", originLsn: r.u64(), name: r.cstring() };
    case 0x52: // R
      return decodeRelation(r);
    case 0x59: // Y
      return { tag: "type", typeOid: r.u32(), schema: r.cstring(), name: r.cstring() };
    case 0x49: // I
      return decodeInsert(r);
    case 0x55: // U
      return decodeUpdate(r);
    case 0x44: // D
      return decodeDelete(r);
    case 0x54: // T
      return decodeTruncate(r);
    case 0x4d: // M
      return decodeMessage(r);
    default:
      throw decodeError(`unknown message type 0x${tag.toString(16)}`);
  }
}

function decodeRelation(r: Reader): PgoutputMessage {
  const relationId = r.u32();
  const schema = r.cstring();
  const table = r.cstring();
  const replicaIdentity = String.fromCharCode(r.u8());
  const count = r.i16();
  if (count < 0) throw decodeError(`negative column count ${count}`);
  const columns: RelationColumn[] = [];
  for (let i = 0; i < count; i++) {
    const flags = r.u8();
    columns.push({
      isKey: (flags & 1) === 1,
      name: r.cstring(),
      typeOid: r.u32(),
      typeMod: r.i32(),
    });
  }
  return { tag: "relation", relationId, schema, table, replicaIdentity, columns };
}

function decodeInsert(r: Reader): PgoutputMessage {
  const relationId = r.u32();
  expectByte(r, 0x4e, "insert");
  return { tag: "insert", relationId, newTuple: decodeTuple(r) };
}

function decodeUpdate(r: Reader): PgoutputMessage {
  const relationId = r.u32();
  let kind = r.u8();
  let oldKind: "K" | "O" | null = null;
  let oldTuple: Tuple | null = null;
  if (kind === 0x4b || kind === 0x4f) {
    oldKind = kind === 0x4b ? "K" : "O";
    oldTuple = decodeTuple(r);
    kind = r.u8();
  }
  if (kind !== 0x4e) throw decodeError(`update: expected 'N', got 0x${kind.toString(16)}`);
  return { tag: "update", relationId, oldKind, oldTuple, newTuple: decodeTuple(r) };
}

function decodeDelete(r: Reader): PgoutputMessage {
  const relationId = r.u32();
  const kind = r.u8();
  if (kind !== 0x4b && kind !== 0x4f)
    throw decodeError(`delete: expected 'K' or 'O', got 0x${kind.toString(16)}`);
  return {
    tag: "delete",
    relationId,
    oldKind: kind === 0x4b ? "K" : "O",
    oldTuple: decodeTuple(r),
  };
}

function decodeTruncate(r: Reader): PgoutputMessage {
  const count = r.i32();
  const options = r.u8();
  if (count < 0 || count * 4 > r.remaining)
    throw decodeError(`truncate: bad relation count ${count}`);
  const relationIds: number[] = [];
  for (let i = 0; i < count; i++) relationIds.push(r.u32());
  return { tag: "truncate", options, relationIds };
}

function decodeMessage(r: Reader): PgoutputMessage {
  const flags = r.u8();
  const lsn = r.u64();
  const prefix = r.cstring();
  const length = r.i32();
  return {
    tag: "message",
    transactional: (flags & 1) === 1,
    lsn,
    prefix,
    content: r.bytes(length),
  };
}

function expectByte(r: Reader, want: number, what: string): void {
  const got = r.u8();
  if (got !== want)
    throw decodeError(
      `${what}: expected '${String.fromCharCode(want)}', got 0x${got.toString(16)}`,
    );
}

/** TupleData: Int16 count, then per column 'n' | 'u' | 't' Int32 length bytes. */
export function decodeTuple(r: Reader): Tuple {
  const count = r.i16();
  if (count < 0 || count > r.remaining) throw decodeError(`tuple: bad column count ${count}`);
  const values: Tuple = new Array(count);
  for (let i = 0; i < count; i++) {
    const kind = r.u8();
    if (kind === 0x74) values[i] = r.utf8(r.i32());
    else if (kind === 0x6e) values[i] = null;
    else if (kind === 0x75) values[i] = UNCHANGED;
    else
      throw decodeError(
        `tuple: unknown column kind 0x${kind.toString(16)} (binary mode is not used)`,
      );
  }
  return values;
}
