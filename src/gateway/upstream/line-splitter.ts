/** A line longer than this is dropped: no sane MCP message is that large, and buffering it risks the heap. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

export interface LineSink {
  line(text: string): void;
  /** A line exceeded the limit; its bytes were discarded up to the next newline. */
  oversize(bytes: number): void;
}

/**
 * Splits a byte stream into newline-delimited lines. Complete lines inside one
 * chunk are decoded straight from that chunk; only a line spanning chunks is
 * concatenated. UTF-8 is decoded per whole line, so a character split across
 * chunks is never mangled.
 */
export class LineSplitter {
  readonly maxLineBytes: number;
  #sink: LineSink;
  #parts: Buffer[] = [];
  #partBytes = 0;
  /** Inside an oversized line: drop bytes until the next newline. */
  #discarding = false;
  #discarded = 0;

  constructor(sink: LineSink, maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
    this.#sink = sink;
    this.maxLineBytes = maxLineBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(LF, start);
    while (newline !== -1) {
      this.#complete(chunk, start, newline);
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.#keep(chunk, start);
  }

  /** Bytes held for an unfinished line (a partial line at end of stream is not a message). */
  get pendingBytes(): number {
    return this.#partBytes;
  }

  #complete(chunk: Buffer, start: number, end: number): void {
    if (this.#discarding) {
      this.#discarding = false;
      this.#sink.oversize(this.#discarded + end - start);
      return;
    }
    const size = this.#partBytes + end - start;
    if (size > this.maxLineBytes) {
      this.#reset();
      this.#sink.oversize(size);
      return;
    }
    let line: Buffer = chunk;
    let from = start;
    let to = end;
    if (this.#partBytes > 0) {
      this.#parts.push(chunk.subarray(start, end));
      line = Buffer.concat(this.#parts, size);
      from = 0;
      to = size;
      this.#reset();
    }
    if (to > from && line[to - 1] === CR) to--;
    if (to > from) this.#sink.line(line.toString("utf8", from, to));
  }

  #keep(chunk: Buffer, start: number): void {
    const size = chunk.length - start;
    if (this.#discarding) {
      this.#discarded += size;
      return;
    }
    if (this.#partBytes + size > this.maxLineBytes) {
      this.#discarded = this.#partBytes + size;
      this.#discarding = true;
      this.#reset();
      return;
    }
    // Copy, so a short tail does not pin the whole chunk in memory.
    this.#parts.push(Buffer.from(chunk.subarray(start)));
    this.#partBytes += size;
  }

  #reset(): void {
    this.#parts = [];
    this.#partBytes = 0;
  }
}
