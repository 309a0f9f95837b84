/** The `embed` transform's configuration schema, and the embedder it names. */
import { z } from "zod";
import { parseDuration } from "../../config/index.ts";
import type { Embedder } from "./embedder.ts";
import { createLocalEmbedder, LOCAL_DIMENSIONS } from "./local-embedder.ts";
import { createOpenAiEmbedder } from "./openai-embedder.ts";

const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined || ms === 0) {
    ctx.addIssue({
      code: "custom",
      message: 'expected a duration such as "30s" or 30000 (milliseconds)',
    });
    return z.NEVER;
  }
  return ms;
});

const localProvider = z
  .object({
    type: z.literal("local"),
    dimensions: z.number().int().min(16).max(4096).default(LOCAL_DIMENSIONS),
  })
  .strict();

const openAiProvider = z
  .object({
    type: z.literal("openai-compatible"),
    url: z.url({ protocol: /^https?$/ }),
    model: z.string().min(1),
    apiKey: z.string().optional(),
    dimensions: z.number().int().positive().optional(),
    batchSize: z.number().int().min(1).max(2048).default(64),
    concurrency: z.number().int().min(1).max(64).default(2),
    maxRetries: z.number().int().min(0).max(20).default(5),
    timeout: duration.default(30_000),
  })
  .strict();

export const providerSchema = z.union([
  z.literal("local").transform(() => ({ type: "local" as const, dimensions: LOCAL_DIMENSIONS })),
  z.discriminatedUnion("type", [localProvider, openAiProvider]),
]);

export const embedOptionsSchema = z
  .object({
    /** Columns whose values are embedded, in this order. */
    fields: z.array(z.string().min(1)).min(1),
    /** Write "field: value" (true) or only the values. */
    labels: z.boolean().default(true),
    /** Only these tables ("schema.table" or "table"); all tables with the fields when absent. */
    tables: z.array(z.string().min(1)).min(1).optional(),
    chunk: z
      .object({
        size: z.number().int().min(50).max(100_000).default(1000),
        overlap: z.number().int().min(0).default(100),
      })
      .strict()
      .refine((c) => c.overlap < c.size / 2, {
        message: "overlap must be less than half of size",
        path: ["overlap"],
      })
      .default({ size: 1000, overlap: 100 }),
    provider: providerSchema.default({ type: "local", dimensions: LOCAL_DIMENSIONS }),
  })
  .strict();

export type EmbedOptions = z.input<typeof embedOptionsSchema>;
export type ParsedEmbedOptions = z.output<typeof embedOptionsSchema>;
export type ProviderOptions = z.output<typeof providerSchema>;

export function createEmbedder(provider: ProviderOptions, fetchImpl?: typeof fetch): Embedder {
  if (provider.type === "local") return createLocalEmbedder(provider.dimensions);
  return createOpenAiEmbedder({
    url: provider.url,
    model: provider.model,
    apiKey: provider.apiKey,
    dimensions: provider.dimensions,
    batchSize: provider.batchSize,
    concurrency: provider.concurrency,
    maxRetries: provider.maxRetries,
    timeoutMs: provider.timeout,
    ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
  });
}
