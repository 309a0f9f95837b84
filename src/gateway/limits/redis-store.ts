import { createHash } from "node:crypto";
import type { GatewayRedis } from "../redis/client.ts";
import { periodOf } from "./bucket.ts";
import type { BucketRef } from "./keys.ts";
import type { LimitStore, TakeResult } from "./store.ts";

/**
 * Every bucket of a call checked and charged in one round trip, atomically,
 * on Redis's clock (TIME) so instances with skewed clocks agree. Buckets are
 * hashes {t: tokens, a: at-ms}; quotas are counters whose key names the
 * period. Every key gets a TTL: a refilled bucket or a past period vanishes.
 * Mirrors bucket.ts (decide).
 */
export const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait, denied, tokens = 0, 0, {}
for i = 1, #KEYS do
  local kind, a, b = ARGV[i*3-2], tonumber(ARGV[i*3-1]), tonumber(ARGV[i*3])
  local w = 0
  if kind == 'b' then
    local v = redis.call('HMGET', KEYS[i], 't', 'a')
    local left = b
    if v[1] then left = math.min(b, tonumber(v[1]) + math.max(0, now - tonumber(v[2])) * a) end
    tokens[i] = left
    if left < 1 then w = math.max(1, math.ceil((1 - left) / a)) end
  else
    local used = tonumber(redis.call('GET', KEYS[i]) or '0')
    if used >= a then w = math.max(1, b) end
  end
  if w > 0 and w >= wait then wait, denied = w, i end
end
if denied > 0 then return {0, wait, denied} end
for i = 1, #KEYS do
  local kind, a, b = ARGV[i*3-2], tonumber(ARGV[i*3-1]), tonumber(ARGV[i*3])
  if kind == 'b' then
    redis.call('HSET', KEYS[i], 't', tostring(tokens[i] - 1), 'a', tostring(now))
    redis.call('PEXPIRE', KEYS[i], math.ceil(b / a) + 1000)
  else
    redis.call('INCR', KEYS[i])
    redis.call('PEXPIRE', KEYS[i], math.max(1, b) + 60000)
  end
end
return {1, 0, 0}
`;

const SCRIPT_SHA = createHash("sha1").update(TAKE_SCRIPT).digest("hex");

/** Buckets in Redis, shared by every gateway instance using the same prefix. */
export class RedisLimitStore implements LimitStore {
  readonly kind = "redis";
  readonly #redis: GatewayRedis;
  readonly #prefix: string;

  constructor(redis: GatewayRedis, prefix: string) {
    this.#redis = redis;
    this.#prefix = `${prefix}limit:`;
  }

  async take(refs: readonly BucketRef[]): Promise<TakeResult> {
    const now = Date.now();
    const keys: string[] = [];
    const args: string[] = [];
    for (const { rule, key } of refs) {
      const limit = rule.limit;
      if (limit.kind === "bucket") {
        keys.push(this.#prefix + key);
        args.push("b", String(limit.ratePerMs), String(limit.burst));
      } else {
        const period = periodOf(limit.period, now);
        keys.push(`${this.#prefix}${key}:${period.id}`);
        args.push("q", String(limit.limit), String(period.endsAt - now));
      }
    }
    const reply = (await this.#redis.run(async (client) => {
      const options = { keys, arguments: args };
      // The script body travels once per Redis restart, not once per call.
      try {
        return await client.evalSha(SCRIPT_SHA, options);
      } catch (error) {
        if (!String(error).includes("NOSCRIPT")) throw error;
        return await client.eval(TAKE_SCRIPT, options);
      }
    })) as number[];
    if (reply[0] === 1) return { allowed: true };
    const rule = refs[(reply[2] ?? 1) - 1]?.rule.name ?? "unknown";
    return { allowed: false, retryAfterMs: reply[1] ?? 1000, rule };
  }
}
