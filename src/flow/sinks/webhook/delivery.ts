/**
 * Delivers one webhook request: POSTs it until the receiver takes it (2xx),
 * refuses it for good (other 4xx) or the retry budget runs out. Nothing else
 * is sent meanwhile, so a key's changes never overtake each other.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Agent } from "undici";
import type { Logger } from "../../../shared/logger.ts";
import { postOnce } from "./attempt.ts";
import type { WebhookRequestBody } from "./batching.ts";
import type { WebhookSinkOptions } from "./options.ts";
import { classify, nextDelay, retryAfterMs } from "./retry-policy.ts";

export type DeliveryOutcome =
  | { delivered: true; attempts: number }
  | { delivered: false; attempts: number; reason: string };

export interface WebhookDelivery {
  /** Rejects only when stopped (the abort reason) — every other failure is an outcome. */
  deliver(payload: WebhookRequestBody): Promise<DeliveryOutcome>;
  close(): Promise<void>;
}

export interface DeliveryDeps {
  logger: Logger;
  flow: string;
  /** For tests: replaces Math.random in the jitter. */
  random?: () => number;
}

export function createWebhookDelivery(
  options: WebhookSinkOptions,
  deps: DeliveryDeps,
): WebhookDelivery {
  const dispatcher = new Agent({ connections: options.connections, keepAliveTimeout: 30_000 });
  const stopping = new AbortController();
  const target = { ...options, timeoutMs: options.timeout, flow: deps.flow, dispatcher };
  const policy = {
    initialDelayMs: options.retry.initialDelay,
    maxDelayMs: options.retry.maxDelay,
    maxAttempts: options.retry.maxAttempts,
    maxElapsedMs: options.retry.maxElapsed,
  };
  const random = deps.random ?? Math.random;

  async function deliver(payload: WebhookRequestBody): Promise<DeliveryOutcome> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const { result, excerpt } = await postOnce(target, payload, stopping.signal);
      const verdict = classify(result);
      if (verdict === "done") return { delivered: true, attempts: attempt };
      const why =
        result.kind === "network" ? result.message : `HTTP ${result.status}: ${excerpt}`.trim();
      if (verdict === "permanent") return { delivered: false, attempts: attempt, reason: why };
      const after =
        result.kind === "status" ? retryAfterMs(result.retryAfter, Date.now()) : undefined;
      const delay = nextDelay(policy, attempt, Date.now() - started, after, random);
      if (delay === undefined) {
        return { delivered: false, attempts: attempt, reason: `retries exhausted: ${why}` };
      }
      deps.logger.warn(
        { flow: deps.flow, key: payload.idempotencyKey, attempt, delayMs: delay, error: why },
        "webhook delivery failed; retrying",
      );
      await sleep(delay, undefined, { signal: stopping.signal });
    }
  }

  return {
    deliver,
    async close() {
      stopping.abort(new Error("webhook sink stopped"));
      await dispatcher.close();
    },
  };
}
