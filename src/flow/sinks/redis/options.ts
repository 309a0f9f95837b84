/** Options of a Redis Streams sink. */
import { z } from "zod";

export const redisSinkOptions = z.strictObject({
  kind: z.literal("redis"),
  /** redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  url: z.string().regex(/^rediss?:\/\//, "expected a redis:// or rediss:// URL"),
  /**
   * Stream key; `{flow}`, `{schema}` and `{table}` are replaced. The default is
   * one stream per flow; "sophia:{schema}.{table}" gives one per table.
   */
  stream: z.string().min(1).default("sophia:{flow}"),
  /** Trim each stream to about this many entries (XADD MAXLEN ~); unbounded when absent. */
  maxLen: z.number().int().min(1).optional(),
  /** Prefix of the keys holding the last written event id per stream and the checkpoint. */
  stateKeyPrefix: z.string().min(1).default("sophia:flow-state"),
});

export type RedisSinkOptions = z.output<typeof redisSinkOptions>;
