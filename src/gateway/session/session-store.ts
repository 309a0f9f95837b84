import type { Session } from "./session.ts";

/**
 * Sessions of this gateway instance, in memory. Idle sessions are swept so a
 * client that vanished without DELETE does not hold subscriptions forever.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #idleMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(idleMs: number) {
    this.#idleMs = idleMs;
  }

  get size(): number {
    return this.#sessions.size;
  }

  get(id: string): Session | undefined {
    return this.#sessions.get(id);
  }

  add(session: Session): void {
    this.#sessions.set(session.id, session);
  }

  delete(id: string): Session | undefined {
    const session = this.#sessions.get(id);
    this.#sessions.delete(id);
    return session;
  }

  values(): IterableIterator<Session> {
    return this.#sessions.values();
  }

  /** Calls `onExpire` for sessions idle past the limit; checks every minute at most. */
  startSweeping(onExpire: (session: Session) => void): void {
    const every = Math.min(60_000, Math.max(1_000, Math.floor(this.#idleMs / 2)));
    this.#timer = setInterval(() => {
      const cutoff = Date.now() - this.#idleMs;
      for (const session of [...this.#sessions.values()]) {
        // A client still holding its stream open is connected, however quiet.
        if (session.lastSeen < cutoff && session.inFlight.size === 0 && !session.standalone.open) {
          onExpire(session);
        }
      }
    }, every);
    this.#timer.unref();
  }

  stopSweeping(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
