/** `gateway.redis` in sophia.yaml: where limits and the cache keep shared state. */
import { z } from "zod";
import { validateSection } from "../../config/index.ts";
import type { SophiaConfig } from "../../config/types.ts";

export interface RedisConfig {
  readonly url: string;
  /** Prefix of every key the gateway writes (`sophia:limit:…`, `sophia:cache:…`). */
  readonly prefix: string;
}

export const DEFAULT_REDIS: RedisConfig = { url: "redis://127.0.0.1:6379", prefix: "sophia:" };

const redisUrl = z
  .string()
  .trim()
  .refine((v) => URL.canParse(v) && /^rediss?:$/.test(new URL(v).protocol), {
    message:
      'expected a Redis URL such as "redis://127.0.0.1:6379" or "rediss://user:pass@host:6380/0"',
  });

const redisShape = {
  url: redisUrl.default(DEFAULT_REDIS.url),
  prefix: z.string().max(100).default(DEFAULT_REDIS.prefix),
};

/** `gateway.redis` as a URL or `{ url, prefix }`; the local default when absent. */
export function readRedis(config: SophiaConfig): RedisConfig {
  const raw = config.gateway.redis;
  if (raw === undefined) return DEFAULT_REDIS;
  const schema = z.union([
    redisUrl.transform((url) => ({ url, prefix: DEFAULT_REDIS.prefix })),
    z.strictObject(redisShape),
  ]);
  return validateSection(config, ["gateway", "redis"], raw, schema, Object.keys(redisShape));
}
