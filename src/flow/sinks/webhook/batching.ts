/**
 * Splits a change batch into webhook requests of at most `maxBatch` events
 * and about `maxBytes` of body. An event larger than `maxBytes` alone still
 * goes, alone in its request: dropping it would lose data.
 *
 * The common case serialises each event once: a chunk of `maxBatch` events
 * is serialised whole and only split event by event when its body is over
 * `maxBytes`.
 */
import type { ChangeEvent } from "../../events.ts";
import type { EventJson } from "../shared/event-json.ts";
import { eventsToJson, jsonBody, jsonText } from "./wire.ts";

export interface WebhookRequestBody {
  events: EventJson[];
  /** The exact bytes posted (and signed): UTF-8 JSON. */
  body: Buffer;
  /** `<first event id>..<last event id>`: the same on every retry and replay. */
  idempotencyKey: string;
}

export function idempotencyKeyOf(events: EventJson[]): string {
  const first = events[0]?.id ?? "";
  const last = events[events.length - 1]?.id ?? "";
  return `${first}..${last}`;
}

export function bodyOf(events: EventJson[], body = jsonBody(events)): WebhookRequestBody {
  return { events, body, idempotencyKey: idempotencyKeyOf(events) };
}

export function splitRequests(
  events: ChangeEvent[],
  maxBatch: number,
  maxBytes: number,
): WebhookRequestBody[] {
  const all = eventsToJson(events);
  const requests: WebhookRequestBody[] = [];
  for (let start = 0; start < all.length; start += maxBatch) {
    const chunk = all.slice(start, start + maxBatch);
    const body = jsonBody(chunk);
    if (body.length <= maxBytes) requests.push(bodyOf(chunk, body));
    else for (const part of splitBySize(chunk, maxBytes)) requests.push(bodyOf(part));
  }
  return requests;
}

/** Consecutive runs of events whose JSON array stays within `maxBytes` (a lone larger event still goes). */
function splitBySize(events: EventJson[], maxBytes: number): EventJson[][] {
  const parts: EventJson[][] = [];
  let current: EventJson[] = [];
  let bytes = 2; // "[" and "]"
  for (const json of events) {
    const size = Buffer.byteLength(jsonText(json)) + 1; // the comma
    if (current.length > 0 && bytes + size > maxBytes) {
      parts.push(current);
      current = [];
      bytes = 2;
    }
    current.push(json);
    bytes += size;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}
