/**
 * Splits a change batch into webhook requests of at most `maxBatch` events
 * and about `maxBytes` of body. An event larger than `maxBytes` alone still
 * goes, alone in its request: dropping it would lose data.
 *
 * The common case writes each event once: a chunk of `maxBatch` events is
 * written whole and only split event by event when its body is over
 * `maxBytes`. The events' JSON objects are only built when a request becomes
 * a dead letter.
 */
import { type ChangeEvent, eventId } from "../../events.ts";
import { type EventJson, eventToJson } from "../shared/event-json.ts";
import { EventWriter, eventsBody, jsonText, textsBody } from "./wire.ts";

export interface WebhookRequestBody {
  /** How many events the request carries. */
  count: number;
  /** The events as JSON objects (what a dead letter stores). */
  readonly events: EventJson[];
  /** The exact bytes posted (and signed): UTF-8 JSON. */
  body: Buffer;
  /** `<first event id>..<last event id>`: the same on every retry and replay. */
  idempotencyKey: string;
}

/** A request body for dead letters being replayed: their stored JSON, as it was first sent. */
export function bodyOf(events: EventJson[]): WebhookRequestBody {
  const first = events[0]?.id ?? "";
  const last = events[events.length - 1]?.id ?? "";
  return {
    count: events.length,
    events,
    body: textsBody(events.map(jsonText)),
    idempotencyKey: `${first}..${last}`,
  };
}

function requestOf(events: readonly ChangeEvent[], body: Buffer): WebhookRequestBody {
  const first = events[0];
  const last = events[events.length - 1];
  let json: EventJson[] | undefined;
  return {
    count: events.length,
    get events() {
      json ??= events.map(eventToJson);
      return json;
    },
    body,
    idempotencyKey: `${first ? eventId(first) : ""}..${last ? eventId(last) : ""}`,
  };
}

export function splitRequests(
  events: readonly ChangeEvent[],
  maxBatch: number,
  maxBytes: number,
): WebhookRequestBody[] {
  const writer = new EventWriter();
  const requests: WebhookRequestBody[] = [];
  for (let start = 0; start < events.length; start += maxBatch) {
    const chunk = events.slice(start, start + maxBatch);
    const body = eventsBody(chunk, writer);
    if (body.length <= maxBytes) requests.push(requestOf(chunk, body));
    else requests.push(...splitBySize(chunk, maxBytes, writer));
  }
  return requests;
}

/** Consecutive runs of events whose JSON array stays within `maxBytes` (a lone larger event still goes). */
function splitBySize(
  events: readonly ChangeEvent[],
  maxBytes: number,
  writer: EventWriter,
): WebhookRequestBody[] {
  const requests: WebhookRequestBody[] = [];
  let from = 0;
  let texts: string[] = [];
  let bytes = 2; // "[" and "]"
  const flush = (to: number) => {
    requests.push(requestOf(events.slice(from, to), textsBody(texts)));
    from = to;
    texts = [];
    bytes = 2;
  };
  events.forEach((event, i) => {
    const text = writer.text(event);
    const size = Buffer.byteLength(text) + 1; // the comma
    if (texts.length > 0 && bytes + size > maxBytes) flush(i);
    texts.push(text);
    bytes += size;
  });
  if (texts.length > 0) flush(events.length);
  return requests;
}
