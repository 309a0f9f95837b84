import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { columnChanged, matches } from "./condition.ts";
import { testEvent } from "./test-event.ts";

describe("matches", () => {
  it("checks operations and tables (with or without schema)", () => {
    const event = testEvent({ op: "update", source: { schema: "app", table: "docs" } });
    assert.equal(matches({ op: ["insert", "update"] }, event), true);
    assert.equal(matches({ op: ["delete"] }, event), false);
    assert.equal(matches({ table: ["docs"] }, event), true);
    assert.equal(matches({ table: ["app.docs"] }, event), true);
    assert.equal(matches({ table: ["public.docs"] }, event), false);
    assert.equal(matches({}, event), true);
  });

  it("tests column values: equals, in, isNull", () => {
    const event = testEvent({
      after: { id: 1, status: "published", deleted_at: null, meta: { a: 1 } },
    });
    const where = (test: object) => matches({ where: [test as never] }, event);
    assert.equal(where({ column: "status", equals: "published" }), true);
    assert.equal(where({ column: "status", equals: "draft" }), false);
    assert.equal(where({ column: "status", in: ["draft", "published"] }), true);
    assert.equal(where({ column: "id", in: ["1"] }), false);
    assert.equal(where({ column: "deleted_at", isNull: true }), true);
    assert.equal(where({ column: "missing", isNull: true }), true);
    assert.equal(where({ column: "status", isNull: true }), false);
  });

  it("reads the old row of a delete and requires every test", () => {
    const event = testEvent({ op: "delete", before: { id: 3, status: "draft" } });
    const draft = { column: "status", equals: "draft" } as const;
    assert.equal(matches({ where: [draft] }, event), true);
    assert.equal(matches({ where: [draft, { column: "id", equals: 4 }] }, event), false);
  });

  it("never matches a value test on an unsent TOAST column", () => {
    const event = testEvent({ op: "update", after: { id: 1 }, unchanged: ["body"] });
    assert.equal(matches({ where: [{ column: "body", isNull: true }] }, event), false);
    assert.equal(matches({ where: [{ column: "body", isNull: false }] }, event), false);
  });
});

describe("columnChanged", () => {
  it("compares the old and new values of an update", () => {
    const update = (before: object | null, after: object, unchanged?: string[]) =>
      testEvent({
        op: "update",
        before: before as never,
        after: after as never,
        ...(unchanged ? { unchanged } : {}),
      });
    assert.equal(columnChanged(update({ t: "a" }, { t: "b" }), "t"), true);
    assert.equal(columnChanged(update({ t: "a" }, { t: "a" }), "t"), false);
    assert.equal(columnChanged(update({ j: { x: [1] } }, { j: { x: [1] } }), "j"), false);
    assert.equal(columnChanged(update(null, { t: "a" }), "t"), true);
    assert.equal(columnChanged(update({ id: 1 }, { id: 1 }, ["t"]), "t"), false);
  });

  it("counts inserts as changed and deletes as not", () => {
    assert.equal(columnChanged(testEvent({ after: { t: 1 } }), "t"), true);
    assert.equal(columnChanged(testEvent({ after: { t: 1 } }), "u"), false);
    assert.equal(columnChanged(testEvent({ op: "delete", before: { t: 1 } }), "t"), false);
  });

  it("is what the `changed` test checks", () => {
    const event = testEvent({ op: "update", before: { id: 1, t: "a" }, after: { id: 1, t: "b" } });
    assert.equal(matches({ where: [{ column: "t", changed: true }] }, event), true);
    assert.equal(matches({ where: [{ column: "id", changed: true }] }, event), false);
    assert.equal(matches({ where: [{ column: "id", changed: false }] }, event), true);
  });
});
