/**
 * A bounds-checked cursor over a Buffer slice. Every read checks the end so
 * garbage input becomes one FLOW_PROTOCOL error, never a RangeError or a
 * read past the message into the next one.
 */
import { SophiaError } from "../../shared/errors.ts";

type Utf8Slice = (this: Buffer, start: number, end: number) => string;
/**
 * Buffer's own UTF-8 decoder, called without `toString`'s argument handling
 * (about half the cost of a short column value). Node has had it on every
 * Buffer since its first releases; `toString` is the fallback elsewhere.
 */
const utf8Slice: Utf8Slice =
  (Buffer.prototype as unknown as { utf8Slice?: Utf8Slice }).utf8Slice ??
  function (this: Buffer, start: number, end: number) {
    return this.toString("utf8", start, end);
  };

export class Reader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  need(bytes: number): void {
    if (bytes < 0 || this.pos + bytes > this.end)
      throw decodeError(`message truncated: needed ${bytes} bytes at offset ${this.pos}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }

  i16(): number {
    this.need(2);
    const value = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return value;
  }

  i32(): number {
    this.need(4);
    const value = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  u64(): bigint {
    this.need(8);
    const value = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return value;
  }

  /** A signed 64-bit microsecond count as a number (exact to 2^53 µs, about 285 years). */
  i64Number(): number {
    this.need(8);
    const high = this.buf.readInt32BE(this.pos);
    const low = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return high * 4294967296 + low;
  }

  /** NUL-terminated UTF-8 string. */
  cstring(): string {
    const zero = this.buf.indexOf(0, this.pos);
    if (zero === -1 || zero >= this.end)
      throw decodeError(`unterminated string at offset ${this.pos}`);
    const text = this.buf.toString("utf8", this.pos, zero);
    this.pos = zero + 1;
    return text;
  }

  utf8(length: number): string {
    this.need(length);
    const text = utf8Slice.call(this.buf, this.pos, this.pos + length);
    this.pos += length;
    return text;
  }

  bytes(length: number): Buffer {
    this.need(length);
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + length));
    this.pos += length;
    return out;
  }

  get remaining(): number {
    return this.end - this.pos;
  }
}

export function decodeError(detail: string): SophiaError {
  return new SophiaError("FLOW_PROTOCOL", `cannot decode a pgoutput message: ${detail}`, {
    hint: "the server sent bytes capture does not understand; check that the slot uses the pgoutput plugin and report the PostgreSQL version",
  });
}
