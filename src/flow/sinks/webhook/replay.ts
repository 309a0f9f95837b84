/**
 * `sophia flow dlq replay`: re-POSTs dead letters with their original body and
 * idempotency key (receivers that saw them before can drop them), and drops
 * each one the receiver took.
 */
import type { DeadLetter, DeadLetterStore } from "../dead-letter/store.ts";
import { bodyOf } from "./batching.ts";
import type { WebhookDelivery } from "./delivery.ts";

export interface ReplayResult {
  id: string;
  delivered: boolean;
  /** Why it stayed a dead letter. */
  reason?: string;
}

export async function replayDeadLetters(
  store: DeadLetterStore,
  delivery: WebhookDelivery,
  letters: DeadLetter[],
): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for (const letter of letters) {
    const payload = { ...bodyOf(letter.events), idempotencyKey: letter.idempotencyKey };
    const outcome = await delivery.deliver(payload);
    if (outcome.delivered) {
      await store.drop([letter.id]);
      results.push({ id: letter.id, delivered: true });
    } else {
      results.push({ id: letter.id, delivered: false, reason: outcome.reason });
    }
  }
  return results;
}
