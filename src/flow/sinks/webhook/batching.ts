/**
 * Splits a change batch into webhook requests of at most `maxBatch` events
 * and about `maxBytes` of body. An event larger than `maxBytes` alone still
 * goes, alone in its request: dropping it would lose data.
 */
import type { ChangeEvent } from "../../events.ts";
import { type EventJson, eventToJson, stringify } from "../shared/event-json.ts";

export interface WebhookRequestBody {
  events: EventJson[];
  /** The exact bytes posted (and signed). */
  body: string;
  /** `<first event id>..<last event id>`: the same on every retry and replay. */
  idempotencyKey: string;
}

export function idempotencyKeyOf(events: EventJson[]): string {
  const first = events[0]?.id ?? "";
  const last = events[events.length - 1]?.id ?? "";
  return `${first}..${last}`;
}

export function bodyOf(events: EventJson[]): WebhookRequestBody {
  return { events, body: stringify(events), idempotencyKey: idempotencyKeyOf(events) };
}

export function splitRequests(
  events: ChangeEvent[],
  maxBatch: number,
  maxBytes: number,
): WebhookRequestBody[] {
  const requests: WebhookRequestBody[] = [];
  let current: EventJson[] = [];
  let bytes = 2; // "[" and "]"
  for (const event of events) {
    const json = eventToJson(event);
    const size = Buffer.byteLength(stringify(json)) + 1; // the comma
    if (current.length > 0 && (current.length >= maxBatch || bytes + size > maxBytes)) {
      requests.push(bodyOf(current));
      current = [];
      bytes = 2;
    }
    current.push(json);
    bytes += size;
  }
  if (current.length > 0) requests.push(bodyOf(current));
  return requests;
}
