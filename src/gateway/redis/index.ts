/** The gateway's shared Redis connections (rate limits, result cache, sessions). */
export { GatewayRedis, type RedisClient, type RedisOptions, redactUrl } from "./client.ts";
export { DEFAULT_REDIS, type RedisConfig, readRedis } from "./config.ts";
export { RedisPool } from "./pool.ts";
