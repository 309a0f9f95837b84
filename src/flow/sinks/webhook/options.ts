/** Options of a webhook sink as written under a flow's `sinks:` in sophia.yaml. */
import { z } from "zod";
import { duration, size } from "../shared/units.ts";

export const webhookSinkOptions = z.strictObject({
  kind: z.literal("webhook"),
  /** Where batches are POSTed. */
  url: z.url({ protocol: /^https?$/ }),
  /** HMAC key for `x-sophia-signature`; share it with the receiver. */
  secret: z.string().min(16, "use a secret of at least 16 characters"),
  /** Extra request headers (for example an Authorization header the receiver wants). */
  headers: z.record(z.string(), z.string()).default({}),
  /** Events per request; large requests keep a backlog moving (one request in flight per sink keeps per-key order). */
  maxBatch: z.number().int().min(1).max(10_000).default(1000),
  maxBytes: size("1mb"),
  /** Per request: waiting for the answer's headers and body. */
  timeout: duration("10s"),
  retry: z
    .strictObject({
      initialDelay: duration("500ms"),
      maxDelay: duration("30s"),
      maxAttempts: z.number().int().min(1).max(1000).default(12),
      maxElapsed: duration("10m"),
    })
    .prefault({}),
  /** Keep-alive connections to the receiver. */
  connections: z.number().int().min(1).max(256).default(4),
});

export type WebhookSinkOptions = z.output<typeof webhookSinkOptions>;
