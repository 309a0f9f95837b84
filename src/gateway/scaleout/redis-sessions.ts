import type { GatewayRedis } from "../redis/index.ts";
import { decodeState, encodeState, type SharedState } from "../session/shared-state.ts";

/** Reads a session and refreshes its idle TTL in one round trip. */
const LOAD = `
local v = redis.call('HMGET', KEYS[1], 'rev', 'state')
if not v[1] then return false end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return v`;

const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'rev', 1, 'state', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** Writes only while the session exists, so a save never revives a deleted session. */
const SAVE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('HSET', KEYS[1], 'state', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return rev`;

export interface StoredSession {
  /** Grows with every write; a copy older than the stored one is re-synced. */
  rev: number;
  state: SharedState;
}

/**
 * Session state in Redis: one hash per session (`rev`, `state`) under the
 * configured prefix, expiring after the idle timeout and refreshed on use.
 * Every method rejects with REDIS_UNAVAILABLE when Redis cannot answer.
 */
export class RedisSessions {
  readonly #redis: GatewayRedis;
  readonly #prefix: string;
  readonly #ttl: string;

  constructor(redis: GatewayRedis, prefix: string, idleMs: number) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#ttl = String(idleMs);
  }

  get connected(): boolean {
    return this.#redis.ready;
  }

  async create(id: string, state: SharedState): Promise<void> {
    await this.#redis.run((c) =>
      c.eval(CREATE, { keys: [this.#key(id)], arguments: [encodeState(state), this.#ttl] }),
    );
  }

  /** The stored session, TTL refreshed; undefined when it expired, was deleted or is unreadable. */
  async load(id: string): Promise<StoredSession | undefined> {
    const reply = await this.#redis.run((c) =>
      c.eval(LOAD, { keys: [this.#key(id)], arguments: [this.#ttl] }),
    );
    if (!Array.isArray(reply) || reply.length !== 2) return undefined;
    const state = typeof reply[1] === "string" ? decodeState(reply[1]) : undefined;
    return state ? { rev: Number(reply[0]), state } : undefined;
  }

  /** Writes the state; the new revision, or undefined when the session no longer exists. */
  async save(id: string, state: SharedState): Promise<number | undefined> {
    const rev = await this.#redis.run((c) =>
      c.eval(SAVE, { keys: [this.#key(id)], arguments: [encodeState(state), this.#ttl] }),
    );
    return typeof rev === "number" && rev > 0 ? rev : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.#redis.run((c) => c.del(this.#key(id)));
  }

  #key(id: string): string {
    return `${this.#prefix}session:${id}`;
  }
}
