import type { ServerResponse } from "node:http";

/** The live side of a buffered stream: takes over a reconnecting client's connection. */
export interface ReplayOwner {
  resume(res: ServerResponse, afterSeq: number): void;
}

export interface ReplayLimits {
  /** Events kept per session, across its streams; the oldest go first. */
  maxEvents: number;
  /** Bytes of event text kept per session. */
  maxBytes: number;
  /** How long a stream nobody is reading is kept once it has nothing more to send. */
  ttlMs: number;
}

export const DEFAULT_REPLAY_LIMITS: ReplayLimits = {
  maxEvents: 256,
  maxBytes: 1024 * 1024,
  ttlMs: 30_000,
};

/** Resumable streams (event ids, priming events) came with 2025-11-25; revisions are dates. */
export function resumesStreams(protocolVersion: string): boolean {
  return protocolVersion >= "2025-11-25";
}

interface Entry {
  stream: number;
  seq: number;
  frame: string;
  bytes: number;
}

interface StreamState {
  owner: ReplayOwner;
  nextSeq: number;
  expiresAt: number | undefined;
}

/**
 * The SSE events of one session's resumable streams (MCP 2025-11-25), kept so
 * a client that lost its connection can reconnect with `Last-Event-ID` and get
 * what it missed. Ids are `<stream>-<seq>`: the id alone names the stream. The
 * event text is kept as written, so a replay sends the same bytes again.
 */
export class ReplayBuffer {
  readonly #limits: ReplayLimits;
  readonly #streams = new Map<number, StreamState>();
  #entries: Entry[] = [];
  #bytes = 0;
  #lastStream = 0;

  constructor(limits: ReplayLimits = DEFAULT_REPLAY_LIMITS) {
    this.#limits = limits;
  }

  /** Starts a stream; its priming event takes id `<stream>-0`. */
  open(owner: ReplayOwner): number {
    this.#sweep();
    const stream = ++this.#lastStream;
    this.#streams.set(stream, { owner, nextSeq: 1, expiresAt: undefined });
    return stream;
  }

  has(stream: number): boolean {
    const state = this.#streams.get(stream);
    if (state?.expiresAt !== undefined && state.expiresAt <= Date.now()) this.forget(stream);
    return this.#streams.has(stream);
  }

  /** Gives the stream's next event an id, keeps the text `render` makes with it, returns that text. */
  push(stream: number, render: (id: string) => string): string {
    const state = this.#streams.get(stream);
    const seq = state ? state.nextSeq++ : 0;
    const frame = render(`${stream}-${seq}`);
    if (!state) return frame;
    const bytes = Buffer.byteLength(frame);
    this.#entries.push({ stream, seq, frame, bytes });
    this.#bytes += bytes;
    while (
      this.#entries.length > this.#limits.maxEvents ||
      (this.#bytes > this.#limits.maxBytes && this.#entries.length > 0)
    ) {
      this.#bytes -= this.#entries.shift()?.bytes ?? 0;
    }
    return frame;
  }

  /** The stream an event id belongs to, if it is still kept. */
  find(lastEventId: string): { owner: ReplayOwner; seq: number } | undefined {
    const match = /^(\d+)-(\d+)$/.exec(lastEventId);
    if (!match) return undefined;
    const stream = Number(match[1]);
    const state = this.has(stream) ? this.#streams.get(stream) : undefined;
    return state ? { owner: state.owner, seq: Number(match[2]) } : undefined;
  }

  /** Kept events of a stream after `afterSeq`, oldest first. */
  after(stream: number, afterSeq: number): string[] {
    return this.#entries.filter((e) => e.stream === stream && e.seq > afterSeq).map((e) => e.frame);
  }

  /** Drops the stream after the TTL unless a client picks it up before. */
  expireLater(stream: number): void {
    const state = this.#streams.get(stream);
    if (state) state.expiresAt = Date.now() + this.#limits.ttlMs;
  }

  /** Someone is reading the stream again: it no longer expires. */
  keep(stream: number): void {
    const state = this.#streams.get(stream);
    if (state) state.expiresAt = undefined;
  }

  forget(stream: number): void {
    if (!this.#streams.delete(stream)) return;
    this.#entries = this.#entries.filter((e) => e.stream !== stream);
    this.#bytes = this.#entries.reduce((sum, e) => sum + e.bytes, 0);
  }

  /** Counts for tests and metrics. */
  get size(): { streams: number; events: number; bytes: number } {
    return { streams: this.#streams.size, events: this.#entries.length, bytes: this.#bytes };
  }

  #sweep(): void {
    for (const stream of [...this.#streams.keys()]) this.has(stream);
  }
}
