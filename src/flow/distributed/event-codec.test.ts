import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { ChangeEvent } from "../events.ts";
import { eventToJson } from "../sinks/index.ts";
import { eventFromJson } from "./event-codec.ts";

const row = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null)),
  { noNullPrototype: true },
);

const event: fc.Arbitrary<ChangeEvent> = fc
  .record({
    op: fc.constantFrom("insert", "update", "delete", "truncate", "read" as const),
    key: row,
    before: fc.option(row, { nil: null }),
    after: fc.option(row, { nil: null }),
    lsn: fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }),
    seq: fc.nat(1_000_000),
    txId: fc.nat(),
    ms: fc.integer({ min: 0, max: 4_000_000_000_000 }),
    previousKey: fc.option(row, { nil: undefined }),
  })
  .map((r) => ({
    op: r.op,
    key: r.key,
    before: r.before,
    after: r.after,
    ...(r.previousKey === undefined ? {} : { previousKey: r.previousKey }),
    source: {
      schema: "s",
      table: "t",
      commitLsn: r.lsn,
      seq: r.seq,
      txId: r.txId,
      commitTimeMs: r.ms,
    },
  }));

test("eventFromJson inverts eventToJson (through JSON text)", () => {
  fc.assert(
    fc.property(event, (e) => {
      const back = eventFromJson(JSON.parse(JSON.stringify(eventToJson(e))), "msg");
      assert.deepEqual(back, e);
    }),
    { numRuns: 300 },
  );
});

test("a payload that is not an event is refused with FLOW_PROTOCOL", () => {
  for (const bad of [null, [], { op: "upsert" }, { op: "insert", schema: "s", table: "t" }])
    assert.throws(() => eventFromJson(bad, "subject x seq 3"), { code: "FLOW_PROTOCOL" });
});
