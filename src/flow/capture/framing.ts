/**
 * The streaming replication protocol's CopyData payloads: XLogData ('w') and
 * primary keepalive ('k') from the server, standby status update ('r') to it.
 */
import type { Lsn } from "../lsn.ts";
import { decodeError, Reader } from "./reader.ts";

export type ServerFrame =
  | {
      kind: "xlog";
      walStart: Lsn;
      walEnd: Lsn;
      sendTimeMicros: number;
      /** The pgoutput message is `buf[payloadStart, end)`. */
      payloadStart: number;
    }
  | { kind: "keepalive"; walEnd: Lsn; sendTimeMicros: number; replyRequested: boolean };

/** XLogData header: 'w' + three Int64. */
export const XLOG_HEADER_BYTES = 25;

/** Decodes the CopyData payload in `buf[start, end)`. */
export function decodeFrame(buf: Buffer, start = 0, end = buf.length): ServerFrame {
  const r = new Reader(buf, start, end);
  const kind = r.u8();
  if (kind === 0x77) {
    return {
      kind: "xlog",
      walStart: r.u64(),
      walEnd: r.u64(),
      sendTimeMicros: r.i64Number(),
      payloadStart: start + XLOG_HEADER_BYTES,
    };
  }
  if (kind === 0x6b) {
    return {
      kind: "keepalive",
      walEnd: r.u64(),
      sendTimeMicros: r.i64Number(),
      replyRequested: r.u8() === 1,
    };
  }
  throw decodeError(`unknown CopyData kind 0x${kind.toString(16)}`);
}

const PG_EPOCH_MS = 946_684_800_000;

/**
 * Standby status update. `flushed` is both the written and the applied
 * position: capture never reports anything the engine has not acknowledged.
 */
export function encodeStatusUpdate(flushed: Lsn, nowMs: number, replyRequested = false): Buffer {
  const out = Buffer.alloc(34);
  out[0] = 0x72; // r
  out.writeBigUInt64BE(flushed, 1);
  out.writeBigUInt64BE(flushed, 9);
  out.writeBigUInt64BE(flushed, 17);
  out.writeBigInt64BE(BigInt(Math.round(nowMs - PG_EPOCH_MS)) * 1000n, 25);
  out[33] = replyRequested ? 1 : 0;
  return out;
}
