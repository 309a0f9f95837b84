import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { ChangeEvent } from "../../events.ts";
import { eventToJson, stringify } from "../shared/event-json.ts";
import { EventWriter, eventsBody, jsonText, textsBody } from "./wire.ts";

const event = fc.record({
  op: fc.constantFrom("insert", "update", "delete", "read" as const),
  id: fc.integer({ min: 0, max: 1000 }),
  text: fc.string(),
  tx: fc.integer({ min: 0, max: 3 }),
  seq: fc.nat({ max: 50 }),
  previous: fc.boolean(),
  unchanged: fc.constantFrom<string[] | undefined>(undefined, [], ["big"]),
  chunksUnchanged: fc.constantFrom<boolean | undefined>(undefined, false, true),
});

type Generated = typeof event extends fc.Arbitrary<infer T> ? T : never;

function toEvent(e: Generated): ChangeEvent {
  const change: ChangeEvent = {
    op: e.op,
    key: { id: e.id },
    before: e.op === "delete" ? { id: e.id } : null,
    after: e.op === "delete" ? null : { id: e.id, text: e.text },
    source: {
      schema: "public",
      table: e.tx % 2 === 0 ? "orders" : "users",
      commitLsn: 0x16b374d848n + BigInt(e.tx) * 0x100000000n,
      seq: e.seq,
      txId: 800 + e.tx,
      commitTimeMs: 1_795_800_000_000 + e.tx * 7,
    },
  };
  if (e.previous) change.previousKey = { id: e.id + 1 };
  if (e.unchanged !== undefined) change.unchanged = e.unchanged;
  if (e.chunksUnchanged !== undefined) change.chunksUnchanged = e.chunksUnchanged;
  return change;
}

test("eventsBody writes the same bytes as JSON.stringify of eventToJson, event for event", () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 200 }), (generated) => {
      const events = generated.map(toEvent);
      const expected = stringify(events.map(eventToJson));
      assert.equal(eventsBody(events).toString("utf8"), expected);
      const writer = new EventWriter();
      assert.equal(textsBody(events.map((e) => writer.text(e))).toString("utf8"), expected);
    }),
  );
});

test("odd values (escapes, unicode, bigints, dates, undefined, a transform's own fields) match the shared JSON", () => {
  const base = toEvent({
    op: "update",
    id: 7,
    text: "",
    tx: 1,
    seq: 3,
    previous: false,
    unchanged: undefined,
    chunksUnchanged: undefined,
  });
  const odd: ChangeEvent[] = [
    {
      ...base,
      after: { id: 7, text: 'quote " backslash \\ newline \n tab \t \u0001 é 😀 \ud800' },
    },
    { ...base, after: { id: 7, big: 12345678901234567890n, list: [1n, "x"] } },
    { ...base, after: { id: 7, at: new Date(0), gone: undefined, nested: { a: [1, null] } } },
    { ...base, key: { id: 2n }, previousKey: { id: 1n }, before: { id: 1n } },
    { ...base, source: { ...base.source, schema: 'we"ird', table: "t\\able" } },
    { ...base, op: "custom" as ChangeEvent["op"] },
    { ...base, after: undefined as unknown as null },
    { ...base, source: { ...base.source, txId: Number.NaN } },
    { ...base, source: { ...base.source, seq: 1.5 } },
  ];
  for (const e of odd) {
    const expected = stringify([eventToJson(e)]);
    assert.equal(eventsBody([e]).toString("utf8"), expected);
  }
  assert.equal(eventsBody([]).toString("utf8"), "[]");
});

test("jsonText writes bigints as decimal strings, like the shared stringify", () => {
  const value = { n: 12345678901234567890n, list: [1n, "x"] };
  assert.equal(jsonText(value), '{"n":"12345678901234567890","list":["1","x"]}');
  assert.equal(jsonText([{ a: 1 }]), '[{"a":1}]');
});
