import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSophiaError } from "../../shared/errors.ts";
import { createFilter, filterOptionsSchema, filterTransform } from "./filter.ts";
import { testEvent } from "./test-event.ts";

const context = { configDir: import.meta.dirname };
const events = [
  testEvent({ key: { id: 1 }, after: { id: 1, status: "published" } }),
  testEvent({ key: { id: 2 }, after: { id: 2, status: "draft" } }),
  testEvent({ op: "delete", key: { id: 3 }, before: { id: 3 } }),
];
const ids = (list: { key: { id?: unknown } }[]) => list.map((e) => e.key.id);

describe("filter", () => {
  it("keeps events matching declarative conditions, in order", async () => {
    const filter = await createFilter(
      { op: ["insert"], where: [{ column: "status", in: ["published"] }] },
      context,
    );
    assert.deepEqual(ids(await filter.apply(events)), [1]);
  });

  it("loads a sync or async predicate from a module", async () => {
    for (const name of ["isPublished", "slowIsPublished"]) {
      const filter = await createFilter(
        { module: "./testdata/functions.ts", export: name },
        context,
      );
      assert.deepEqual(ids(await filter.apply(events)), [1]);
    }
  });

  it("reports a predicate that returns a non-boolean, naming the event", async () => {
    const filter = filterTransform("f", () => "yes" as never);
    await assert.rejects(
      Promise.resolve(filter.apply(events)),
      (e) =>
        isSophiaError(e, "FLOW_TRANSFORM_FAILED") &&
        e.message.includes("returned string for event public.docs"),
    );
  });

  it("wraps a throwing predicate", async () => {
    const filter = filterTransform("f", () => {
      throw new Error("nope");
    });
    await assert.rejects(Promise.resolve(filter.apply(events)), (e) =>
      isSophiaError(e, "FLOW_TRANSFORM_FAILED"),
    );
  });

  it("refuses unknown keys in configuration", () => {
    assert.equal(filterOptionsSchema.safeParse({ ops: ["insert"] }).success, false);
    assert.equal(
      filterOptionsSchema.safeParse({ where: [{ column: "a", like: "x" }] }).success,
      false,
    );
    assert.equal(filterOptionsSchema.safeParse({ module: "./x.ts" }).success, true);
  });
});
