import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defineTransform, pipeline } from "./compose.ts";
import { testEvent } from "./test-event.ts";

describe("pipeline", () => {
  it("applies transforms in order and names itself after them", async () => {
    const seen: string[] = [];
    const a = defineTransform("a", (events) => {
      seen.push("a");
      return [...events, testEvent({ key: { id: 2 } })];
    });
    const b = defineTransform("b", async (events) => {
      seen.push("b");
      return events.filter((e) => e.key.id === 2);
    });
    const both = pipeline(a, b);
    const out = await both.apply([testEvent()]);
    assert.deepEqual(seen, ["a", "b"]);
    assert.deepEqual(
      out.map((e) => e.key.id),
      [2],
    );
    assert.equal(both.name, "a | b");
  });

  it("skips later transforms once nothing is left", async () => {
    let called = false;
    const none = defineTransform("none", () => []);
    const later = defineTransform("later", (events) => {
      called = true;
      return events;
    });
    assert.deepEqual(await pipeline(none, later).apply([testEvent()]), []);
    assert.equal(called, false);
  });

  it("stops every transform and reports the first failure", async () => {
    const stopped: string[] = [];
    const bad = defineTransform(
      "bad",
      (e) => e,
      async () => {
        stopped.push("bad");
        throw new Error("boom");
      },
    );
    const good = defineTransform(
      "good",
      (e) => e,
      async () => {
        stopped.push("good");
      },
    );
    await assert.rejects(pipeline(bad, good).stop?.() ?? Promise.resolve(), /boom/);
    assert.deepEqual(stopped.sort(), ["bad", "good"]);
  });
});
