/**
 * Webhook sink: POSTs JSON batches in commit order (at-least-once; each event
 * carries its id and each request an idempotency key so receivers can drop
 * repeats). A request the receiver refuses for good, or that runs out of
 * retries, goes to the dead-letter store and the stream moves on.
 */

import { SophiaError } from "../../../shared/errors.ts";
import type { Logger } from "../../../shared/logger.ts";
import type { ChangeBatch } from "../../events.ts";
import type { Sink } from "../../sink.ts";
import type { DeadLetterStore } from "../dead-letter/store.ts";
import { splitRequests, type WebhookRequestBody } from "./batching.ts";
import { createWebhookDelivery, type WebhookDelivery } from "./delivery.ts";
import type { WebhookSinkOptions } from "./options.ts";

export interface WebhookSinkDeps {
  logger: Logger;
  flow: string;
  deadLetters: DeadLetterStore;
  random?: () => number;
}

export function createWebhookSink(
  name: string,
  options: WebhookSinkOptions,
  deps: WebhookSinkDeps,
): Sink {
  let delivery: WebhookDelivery | undefined;
  /** The next batch's requests, encoded while the previous write waited for its answer. */
  let prepared: { batch: ChangeBatch; requests: WebhookRequestBody[] } | undefined;
  const requestsOf = (batch: ChangeBatch) =>
    splitRequests(batch.events, options.maxBatch, options.maxBytes);

  async function write(batch: ChangeBatch): Promise<void> {
    if (delivery === undefined) {
      throw new SophiaError(
        "FLOW_SINK_FAILED",
        `webhook sink "${name}" was written before start()`,
        {
          hint: "the flow engine starts each sink before writing; this is a bug to report",
        },
      );
    }
    const requests = prepared?.batch === batch ? prepared.requests : requestsOf(batch);
    prepared = undefined;
    for (const payload of requests) {
      const outcome = await delivery.deliver(payload);
      if (outcome.delivered) continue;
      const letter = await deps.deadLetters.add({
        flow: deps.flow,
        sink: name,
        idempotencyKey: payload.idempotencyKey,
        reason: outcome.reason,
        attempts: outcome.attempts,
        events: payload.events,
      });
      deps.logger.error(
        { flow: deps.flow, sink: name, deadLetter: letter.id, events: payload.count },
        `webhook refused or unreachable (${outcome.reason}); stored as dead letter`,
      );
    }
  }

  return {
    name,
    guarantee: "at-least-once",
    async start() {
      await deps.deadLetters.start();
      if (delivery === undefined) delivery = createWebhookDelivery(options, deps);
    },
    write,
    prepare(batch) {
      prepared = { batch, requests: requestsOf(batch) };
    },
    async stop() {
      const current = delivery;
      delivery = undefined;
      await current?.close();
    },
  };
}
