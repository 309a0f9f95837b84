import type { JsonRpcId, Params } from "../jsonrpc/messages.ts";
import { callerProgressToken, type ProgressToken, withProgressToken } from "./progress-token.ts";
import type { CallContext, CallOutcome } from "./types.ts";

export const QUEUED = 0;
export const SENT = 1;
export const SETTLED = 2;

/** What a call needs from the connection that owns it when its signal aborts. */
export interface CallOwner {
  abortCall(call: PendingCall): void;
}

/**
 * One request towards the upstream, from `request()` until it settles. A class
 * rather than closures: it is the abort listener itself (`handleEvent`) and the
 * queue link, so a call allocates one object plus its promise.
 */
export class PendingCall {
  readonly owner: CallOwner;
  /** Our id on the upstream connection; also our progress token when the caller asked for progress. */
  readonly id: number;
  readonly method: string;
  /** The params as the caller gave them. */
  readonly original: Params | undefined;
  /** The params as sent: the caller's progress token replaced by ours. */
  readonly params: Params | undefined;
  readonly context: CallContext | undefined;
  readonly callerToken: ProgressToken | undefined;
  readonly timeoutMs: number;
  /** Already sent again after a connection lost it undelivered; never handed over twice. */
  readonly redelivered: boolean;
  state = QUEUED;
  timer: NodeJS.Timeout | undefined;
  next: PendingCall | undefined;
  resolve!: (outcome: CallOutcome) => void;
  reject!: (error: Error) => void;

  constructor(
    owner: CallOwner,
    id: number,
    method: string,
    params: Params | undefined,
    context: CallContext | undefined,
    timeoutMs: number,
    redelivered: boolean,
  ) {
    this.owner = owner;
    this.id = id;
    this.method = method;
    this.original = params;
    this.callerToken = callerProgressToken(params);
    this.params = this.callerToken === undefined ? params : withProgressToken(params as Params, id);
    this.context = context;
    this.timeoutMs = timeoutMs;
    this.redelivered = redelivered;
  }

  handleEvent(): void {
    this.owner.abortCall(this);
  }

  /** `tools/call search` rather than just `tools/call`, for messages. */
  describe(): string {
    const name = this.params?.name ?? this.params?.uri;
    return typeof name === "string" ? `${this.method} ${name}` : this.method;
  }
}

/** FIFO of calls waiting for a concurrency slot. Settled calls are skipped lazily. */
export class CallQueue {
  #head: PendingCall | undefined;
  #tail: PendingCall | undefined;
  #live = 0;

  get length(): number {
    return this.#live;
  }

  push(call: PendingCall): void {
    if (this.#tail === undefined) this.#head = call;
    else this.#tail.next = call;
    this.#tail = call;
    this.#live++;
  }

  /** The oldest call still waiting, left in the queue. */
  peek(): PendingCall | undefined {
    while (this.#head !== undefined && this.#head.state !== QUEUED) this.#head = this.#head.next;
    if (this.#head === undefined) this.#tail = undefined;
    return this.#head;
  }

  /** The oldest call still waiting, removed from the queue. */
  shift(): PendingCall | undefined {
    let call = this.#head;
    while (call !== undefined && call.state !== QUEUED) call = call.next;
    this.#head = call?.next;
    if (this.#head === undefined) this.#tail = undefined;
    if (call !== undefined) {
      call.next = undefined;
      this.#live--;
    }
    return call;
  }

  /** A queued call settled (timeout, abort) before its turn. */
  forget(): void {
    this.#live--;
  }

  /** Every call still waiting, emptying the queue. */
  drain(): PendingCall[] {
    const calls: PendingCall[] = [];
    for (let call = this.shift(); call !== undefined; call = this.shift()) calls.push(call);
    return calls;
  }
}

/** Our ids are integers; a server that echoes them as strings is still understood. */
export function asCallId(id: JsonRpcId | unknown): number | undefined {
  if (typeof id === "number") return id;
  if (typeof id === "string" && id !== "") {
    const n = Number(id);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}
