import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { testEvent } from "../transforms/test-event.ts";
import { planEvent } from "./plan.ts";

const options = { fields: ["title", "body"], labels: true };

describe("planEvent", () => {
  it("passes deletes, truncates and tables without the fields", () => {
    assert.equal(planEvent(testEvent({ op: "delete", before: { id: 1 } }), options).kind, "pass");
    assert.equal(planEvent(testEvent({ op: "truncate" }), options).kind, "pass");
    assert.equal(planEvent(testEvent({ after: { id: 1, name: "x" } }), options).kind, "pass");
    const other = testEvent({ after: { title: "t" }, source: { table: "other" } });
    assert.equal(planEvent(other, { ...options, tables: ["public.docs"] }).kind, "pass");
  });

  it("embeds inserts and reads as labelled text, null fields left out", () => {
    const plan = planEvent(
      testEvent({ op: "read", after: { id: 1, title: "Hi", body: null } }),
      options,
    );
    assert.deepEqual(plan, { kind: "embed", text: "title: Hi" });
    const both = planEvent(testEvent({ after: { title: "Hi", body: "There" } }), {
      ...options,
      labels: false,
    });
    assert.deepEqual(both, { kind: "embed", text: "Hi\n\nThere" });
  });

  it("keeps chunks when the old row has equal fields", () => {
    const event = testEvent({
      op: "update",
      before: { title: "a", body: "b", n: 1 },
      after: { title: "a", body: "b", n: 2 },
    });
    assert.equal(planEvent(event, options).kind, "unchanged");
  });

  it("keeps chunks when the embedded fields are unsent TOAST values", () => {
    const event = testEvent({
      op: "update",
      before: { id: 1 },
      after: { id: 1, title: "a" },
      unchanged: ["body"],
    });
    const equal = { ...event, before: { id: 1, title: "a" } };
    assert.equal(planEvent(equal, options).kind, "unchanged");
    const onlyToast = testEvent({ op: "update", after: { id: 1 }, unchanged: ["title", "body"] });
    assert.equal(planEvent(onlyToast, options).kind, "unchanged");
  });

  it("re-embeds a changed field, using the old row's value for an unsent one", () => {
    const event = testEvent({
      op: "update",
      before: { title: "old", body: "long body" },
      after: { title: "new" },
      unchanged: ["body"],
    });
    assert.deepEqual(planEvent(event, options), {
      kind: "embed",
      text: "title: new\n\nbody: long body",
    });
  });

  it("says which field is unknown when neither row has it", () => {
    const event = testEvent({
      op: "update",
      before: null,
      after: { title: "new" },
      unchanged: ["body"],
    });
    assert.deepEqual(planEvent(event, options), { kind: "unknown", missing: ["body"] });
  });

  it("re-embeds an update without the old row (REPLICA IDENTITY DEFAULT)", () => {
    const event = testEvent({ op: "update", before: null, after: { title: "a", body: "b" } });
    assert.equal(planEvent(event, options).kind, "embed");
  });
});
