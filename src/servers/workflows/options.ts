/** The workflows server's `options:` map in sophia.yaml. */
import { z } from "zod";
import { parseDuration } from "../../config/index.ts";

const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined || ms === 0) {
    ctx.addIssue({ code: "custom", message: 'expected a duration such as "60s" or 60000 (ms)' });
    return z.NEVER;
  }
  return ms;
});

const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" });

const webhookSchema = z.strictObject({
  /** A full webhook URL, or a path under `<url>/webhook/`. */
  url: httpUrl.optional(),
  path: z.string().min(1).optional(),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
  description: z.string().optional(),
});

const shape = z.strictObject({
  /** n8n's base URL, such as http://n8n:5678. */
  url: httpUrl,
  /** n8n public API key (X-N8N-API-KEY): lists workflows and finds their webhooks. */
  apiKey: z.string().min(1).optional(),
  /** Workflows callable by name without the API, each through its webhook. */
  webhooks: z.record(z.string().min(1), webhookSchema).default({}),
  /** Only active workflows are listed (inactive ones have no production webhook). */
  activeOnly: z.boolean().default(true),
  timeout: duration.default(60_000),
});

export const OPTION_KEYS = Object.keys(shape.shape);

export const workflowsOptionsSchema = shape.refine(
  (o) => o.apiKey !== undefined || Object.keys(o.webhooks).length > 0,
  {
    message: "set apiKey (to list n8n's workflows) or webhooks (to name the ones to run), or both",
  },
);

export type WorkflowsOptions = z.output<typeof workflowsOptionsSchema>;
export type WebhookOption = z.output<typeof webhookSchema>;
