/** One dispatched server-sent event. */
export interface SseEvent {
  /** `message` unless the stream named another type. */
  event: string;
  data: string;
  /** The last event id seen on the stream so far (sticky, as in the EventSource spec). */
  id: string | undefined;
}

/**
 * Incremental `text/event-stream` parser following the WHATWG rules: lines end
 * with CRLF, LF or CR (also when a CRLF is split across chunks), `:` starts a
 * comment, multi-line `data` joins with LF, a blank line dispatches, and an
 * event without data is not dispatched. Bytes are decoded as streaming UTF-8.
 */
export class SseParser {
  #onEvent: (event: SseEvent) => void;
  #decoder = new TextDecoder("utf-8");
  #buffer = "";
  /** The previous chunk ended in CR: a leading LF of the next chunk belongs to it. */
  #afterCr = false;
  #event = "";
  #data: string[] = [];
  #lastId: string | undefined;
  /** Reconnection delay the server asked for, if any. */
  retryMs: number | undefined;

  constructor(onEvent: (event: SseEvent) => void) {
    this.#onEvent = onEvent;
  }

  get lastEventId(): string | undefined {
    return this.#lastId;
  }

  push(chunk: Uint8Array | string): void {
    let text = typeof chunk === "string" ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (text === "") return;
    if (this.#afterCr && text.charCodeAt(0) === 10) text = text.slice(1);
    this.#afterCr = false;
    // The buffered tail holds no line ending, so scanning resumes after it.
    const scanFrom = this.#buffer.length;
    text = this.#buffer + text;
    let start = 0;
    for (let i = scanFrom; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#line(text.slice(start, i));
      if (c === 13) {
        if (i + 1 === text.length) this.#afterCr = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#buffer = text.slice(start);
  }

  #line(line: string): void {
    if (line === "") {
      this.#dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment, often a keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case "data":
        this.#data.push(value);
        break;
      case "event":
        this.#event = value;
        break;
      case "id":
        if (!value.includes("\0")) this.#lastId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
    }
  }

  #dispatch(): void {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = "";
    if (data.length === 0) return;
    this.#onEvent({
      event: event === "" ? "message" : event,
      data: data.join("\n"),
      id: this.#lastId,
    });
  }
}
