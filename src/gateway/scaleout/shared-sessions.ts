import { randomBytes } from "node:crypto";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import { type AuthMethod, type Principal, sameCaller } from "../auth/principal.ts";
import {
  isNotification,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
} from "../jsonrpc/messages.ts";
import type { Dispatcher } from "../mcp/dispatcher.ts";
import type { GatewayRedis } from "../redis/index.ts";
import { SessionHandles } from "../session/handle.ts";
import { CLOSED_SINK } from "../session/message-sink.ts";
import { ReplayBuffer, resumesStreams } from "../session/replay-buffer.ts";
import { type Scope, Session } from "../session/session.ts";
import type { SessionStore } from "../session/session-store.ts";
import { changesFor, type SharedState, snapshot } from "../session/shared-state.ts";
import type { Upstream } from "../upstream/types.ts";
import { RedisSessions, type StoredSession } from "./redis-sessions.ts";
import { type SessionEvent, SessionEvents } from "./session-events.ts";

export interface SharedSessionsOptions {
  redis: GatewayRedis;
  /** Key and channel prefix, e.g. `sophia:`; instances sharing sessions use the same one. */
  prefix: string;
  secret: string;
  idleMs: number;
  /** This instance's in-memory sessions: the shared store fills it and keeps it in step. */
  sessions: SessionStore;
  dispatcher: Dispatcher;
  upstreams: ReadonlyMap<string, Upstream>;
  logger: Logger;
}

/**
 * 2025-era sessions shared by gateway instances through Redis. The session
 * id is a signed handle; the negotiated state lives in Redis; each instance
 * keeps a live copy in memory (streams, calls in flight) and re-reads the
 * state on every request, so a change made through any instance is seen by
 * the next request on any other. Events over pub/sub hurry that along for
 * copies holding a GET stream and carry deletes and client answers.
 */
export class SharedSessions {
  readonly instance = randomBytes(6).toString("hex");
  readonly #handles: SessionHandles;
  readonly #store: RedisSessions;
  readonly #events: SessionEvents;
  readonly #options: SharedSessionsOptions;
  readonly #logger: Logger;
  /** The stored revision each local copy matches. */
  readonly #revs = new WeakMap<Session, number>();
  readonly #applying = new Map<string, Promise<void>>();
  readonly #rebuilding = new Map<string, Promise<Session | undefined>>();

  constructor(options: SharedSessionsOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ part: "shared-sessions" });
    this.#handles = new SessionHandles(options.secret);
    this.#store = new RedisSessions(options.redis, options.prefix, options.idleMs);
    this.#events = new SessionEvents(
      options.redis,
      `${options.prefix}session-events`,
      this.instance,
      this.#logger,
    );
  }

  /** Subscribes to other instances' events; while Redis is down it keeps retrying in the background. */
  start(): void {
    this.#events
      .listen((event) => this.#onEvent(event))
      .catch((error: unknown) => {
        this.#logger.warn({ err: errorMessage(error) }, "session events unavailable");
      });
  }

  close(): Promise<void> {
    return this.#events.close();
  }

  newId(): string {
    return this.#handles.mint();
  }

  /** Stores a session `initialize` just made. Rejects with REDIS_UNAVAILABLE (the caller answers 503). */
  async create(session: Session): Promise<void> {
    await this.#store.create(session.id, snapshot(session));
    this.#revs.set(session, 1);
  }

  /**
   * The session an id names, in step with the store: this instance's copy or
   * one rebuilt from Redis. Undefined for a forged id (no lookup) or a session
   * that ended. With Redis down a local copy serves as it is; without one it
   * rejects with REDIS_UNAVAILABLE.
   */
  async find(id: string, principal: Principal): Promise<Session | undefined> {
    if (!this.#handles.verify(id)) return undefined;
    const local = this.#options.sessions.get(id);
    let stored: StoredSession | undefined;
    try {
      stored = await this.#store.load(id);
    } catch (error) {
      if (local) return local;
      throw error;
    }
    if (!stored) {
      if (local) this.#drop(local);
      return undefined;
    }
    if (local) {
      await this.#sync(local, stored);
      return local;
    }
    let pending = this.#rebuilding.get(id);
    if (!pending) {
      pending = this.#rebuild(id, stored, principal).finally(() => this.#rebuilding.delete(id));
      this.#rebuilding.set(id, pending);
    }
    return pending;
  }

  /** After a request that changed the session (log level, subscriptions): write it for the others. */
  async saved(session: Session): Promise<void> {
    try {
      const rev = await this.#store.save(session.id, snapshot(session));
      if (rev === undefined) return;
      this.#revs.set(session, rev);
      await this.#events.publish({ op: "changed", id: session.id, rev });
    } catch (error) {
      this.#logger.warn(
        { session: session.id, err: errorMessage(error) },
        "session change kept on this instance only: the shared store is unavailable",
      );
    }
  }

  /** Ends the session on every instance. Rejects with REDIS_UNAVAILABLE (nothing is ended then). */
  async remove(session: Session): Promise<void> {
    await this.#store.remove(session.id);
    await this.#events.publish({ op: "deleted", id: session.id });
  }

  /** A client message for a call this instance does not run: the instance that runs it takes it. */
  relay(session: Session, message: JsonRpcMessage): void {
    void this.#events.publish({ op: "relay", id: session.id, message });
  }

  async #rebuild(id: string, stored: StoredSession, principal: Principal) {
    const scope = this.#scopeOf(stored.state);
    if (!scope) return undefined;
    const { protocolVersion, capabilities, clientInfo } = stored.state;
    const session = new Session(id, scope, { protocolVersion, capabilities, clientInfo });
    // Bound to the caller that opened it: another caller gets the endpoint's 403, as on one instance.
    session.bind(
      sameCaller(callerOf(stored.state), principal) ? principal : callerOf(stored.state),
    );
    if (resumesStreams(protocolVersion)) session.replay = new ReplayBuffer();
    this.#options.sessions.add(session);
    await this.#sync(session, stored);
    return session;
  }

  #scopeOf(state: SharedState): Scope | undefined {
    if (state.server === null) return { kind: "aggregate" };
    const upstream = this.#options.upstreams.get(state.server);
    return upstream ? { kind: "server", upstream } : undefined;
  }

  /** Applies a newer stored state to a local copy, one application at a time per session. */
  async #sync(session: Session, stored: StoredSession): Promise<void> {
    const before = this.#applying.get(session.id) ?? Promise.resolve();
    const next = before.then(() => this.#apply(session, stored));
    this.#applying.set(session.id, next);
    try {
      await next;
    } finally {
      if (this.#applying.get(session.id) === next) this.#applying.delete(session.id);
    }
  }

  /** Changes go through the dispatcher, so upstream subscriptions and levels follow as on a request. */
  async #apply(session: Session, stored: StoredSession): Promise<void> {
    if (stored.rev <= (this.#revs.get(session) ?? 0) || session.closed) return;
    this.#revs.set(session, stored.rev);
    const changes = changesFor(session, stored.state);
    const replays: JsonRpcRequest[] = [];
    const replay = (method: string, params: Record<string, unknown>) =>
      replays.push({ jsonrpc: "2.0", id: `sophia-sync-${replays.length}`, method, params });
    if (changes.logLevel !== undefined) replay("logging/setLevel", { level: changes.logLevel });
    for (const uri of changes.subscribe) replay("resources/subscribe", { uri });
    for (const uri of changes.unsubscribe) replay("resources/unsubscribe", { uri });
    for (const request of replays) {
      const response = await this.#options.dispatcher.request(session, request, CLOSED_SINK);
      if ("error" in response)
        this.#logger.debug(
          { session: session.id, method: request.method, err: response.error.message },
          "shared session change not applied on this instance",
        );
    }
  }

  #onEvent(event: SessionEvent): void {
    const local = this.#options.sessions.get(event.id);
    if (!local) return;
    if (event.op === "deleted") this.#drop(local);
    else if (event.op === "changed") {
      if (event.rev > (this.#revs.get(local) ?? 0)) void this.#refresh(local);
    } else if (isResponse(event.message)) this.#options.dispatcher.response(local, event.message);
    else if (isNotification(event.message))
      this.#options.dispatcher.notification(local, event.message);
  }

  async #refresh(session: Session): Promise<void> {
    try {
      const stored = await this.#store.load(session.id);
      if (stored) await this.#sync(session, stored);
      else this.#drop(session);
    } catch (error) {
      this.#logger.debug({ session: session.id, err: errorMessage(error) }, "refresh failed");
    }
  }

  /** The session ended elsewhere: release this copy (subscriptions, calls, its GET stream). */
  #drop(session: Session): void {
    this.#options.sessions.delete(session.id);
    this.#options.dispatcher.closeSession(session);
    const stream = session.standalone as { close?: () => void };
    stream.close?.();
  }
}

function callerOf(state: SharedState): Principal {
  return {
    subject: state.caller.subject,
    method: state.caller.method as AuthMethod,
    roles: [],
    scopes: [],
  };
}
