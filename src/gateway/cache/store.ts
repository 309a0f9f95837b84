import type { GatewayRedis } from "../redis/client.ts";
import { Lru } from "./lru.ts";

/** Where cached results live. Redis failures reject (REDIS_UNAVAILABLE); callers bypass the cache. */
export interface CacheStore {
  readonly kind: "memory" | "redis";
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

export class MemoryCacheStore implements CacheStore {
  readonly kind = "memory";
  readonly lru: Lru;

  constructor(options: { maxEntries: number; maxBytes: number }) {
    this.lru = new Lru(options);
  }

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.lru.get(key));
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    this.lru.set(key, value, ttlMs);
    return Promise.resolve();
  }
}

/** Shared by every gateway instance; Redis's own eviction (maxmemory) bounds it. */
export class RedisCacheStore implements CacheStore {
  readonly kind = "redis";
  readonly #redis: GatewayRedis;
  readonly #prefix: string;
  readonly #maxBytes: number;

  constructor(redis: GatewayRedis, prefix: string, maxBytes: number) {
    this.#redis = redis;
    this.#prefix = `${prefix}cache:`;
    this.#maxBytes = maxBytes;
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.#redis.run((client) => client.get(this.#prefix + key));
    return value ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (value.length > this.#maxBytes) return;
    await this.#redis.run((client) => client.set(this.#prefix + key, value, { PX: ttlMs }));
  }
}
