/**
 * Splits the server's byte stream into protocol messages during replication.
 * CopyData ('d') is almost every message of a stream, one per change: its
 * payload goes to `onCopyData` as a range of the received chunk, with no
 * copy, no message object and no event per message. Every other message
 * (CopyBothResponse, ErrorResponse, CopyDone, CommandComplete, ReadyForQuery,
 * notices) goes whole to `onOther`, which hands it to the `pg` client's own
 * parser, so errors and the end of the stream reach it as before.
 */
import { SophiaError } from "../../shared/errors.ts";

/** Type byte plus Int32 length (the length counts itself, not the type byte). */
const HEADER_BYTES = 5;
const COPY_DATA = 0x64; // d

export class CopyFramer {
  readonly #onCopyData: (buf: Buffer, start: number, end: number) => void;
  readonly #onOther: (message: Buffer) => void;
  /** Bytes of an incomplete message, kept until `#need` bytes are there. */
  #parts: Buffer[] = [];
  #bytes = 0;
  #need = 0;

  constructor(
    onCopyData: (buf: Buffer, start: number, end: number) => void,
    onOther: (message: Buffer) => void,
  ) {
    this.#onCopyData = onCopyData;
    this.#onOther = onOther;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.#parts.length > 0) {
      this.#parts.push(chunk);
      this.#bytes += chunk.length;
      // A message larger than a chunk (a big row) is joined once, when it is complete.
      if (this.#bytes < this.#need) return;
      buf = Buffer.concat(this.#parts, this.#bytes);
      this.#parts = [];
      this.#bytes = 0;
    }
    const end = buf.length;
    let pos = 0;
    while (end - pos >= HEADER_BYTES) {
      const length = buf.readUInt32BE(pos + 1);
      if (length < 4)
        throw new SophiaError(
          "FLOW_PROTOCOL",
          `the replication connection sent a message of impossible length ${length} (type 0x${(buf[pos] as number).toString(16)})`,
          {
            hint: "the connection is reset and capture resumes from the last acknowledged position",
          },
        );
      const next = pos + 1 + length;
      if (next > end) break;
      if (buf[pos] === COPY_DATA) this.#onCopyData(buf, pos + HEADER_BYTES, next);
      else this.#onOther(buf.subarray(pos, next));
      pos = next;
    }
    if (pos === end) return;
    const rest = buf.subarray(pos);
    this.#parts = [rest];
    this.#bytes = rest.length;
    this.#need = rest.length >= HEADER_BYTES ? 1 + rest.readUInt32BE(1) : HEADER_BYTES;
  }
}
