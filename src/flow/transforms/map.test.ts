// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are field templates, not JavaScript templates
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSophiaError } from "../../shared/errors.ts";
import { createMap, mapOptionsSchema, mapTransform } from "./map.ts";
import { testEvent } from "./test-event.ts";

const context = { configDir: import.meta.dirname };

describe("map (configuration)", () => {
  it("computes fields from the incoming row, then renames, picks and drops", async () => {
    const map = await createMap(
      {
        rename: { id: "doc_id", body: "content" },
        drop: ["secret"],
        set: { label: "${title} - ${status}", kind: "doc", version: 2 },
      },
      context,
    );
    const event = testEvent({
      op: "update",
      key: { id: 7 },
      before: { id: 7, secret: "s" },
      after: { id: 7, title: "Hi", status: "draft", body: "b", secret: "s" },
    });
    const [out] = await map.apply([event]);
    assert.deepEqual(out?.key, { doc_id: 7 });
    assert.deepEqual(out?.before, { doc_id: 7 });
    assert.deepEqual(out?.after, {
      doc_id: 7,
      title: "Hi",
      status: "draft",
      content: "b",
      label: "Hi - draft",
      kind: "doc",
      version: 2,
    });
  });

  it("picks columns and leaves deletes without computed fields", async () => {
    const map = await createMap({ pick: ["id", "title"], set: { kind: "doc" } }, context);
    const [insert, remove] = await map.apply([
      testEvent({ after: { id: 1, title: "t", body: "b" } }),
      testEvent({ op: "delete", before: { id: 1, body: "b" } }),
    ]);
    assert.deepEqual(insert?.after, { id: 1, title: "t", kind: "doc" });
    assert.deepEqual(remove?.before, { id: 1 });
    assert.equal(remove?.after, null);
  });

  it("marks a computed field unchanged when its template reads an unsent TOAST column", async () => {
    const map = await createMap(
      { rename: { body: "content" }, set: { summary: "${title}: ${body}" } },
      context,
    );
    const event = testEvent({ op: "update", after: { id: 1, title: "t" }, unchanged: ["body"] });
    const [out] = await map.apply([event]);
    assert.deepEqual(out?.after, { id: 1, title: "t" });
    assert.deepEqual(out?.unchanged, ["content", "summary"]);
  });

  it("rejects bad templates and unknown keys when validating", () => {
    const result = mapOptionsSchema.safeParse({ set: { label: "${title" } });
    assert.equal(result.success, false);
    assert.equal(mapOptionsSchema.safeParse({ renam: {} }).success, false);
  });
});

describe("map (module)", () => {
  it("fans one event out into several and drops on null", async () => {
    const map = await createMap({ module: "./testdata/functions.ts", export: "perTag" }, context);
    const out = await map.apply([
      testEvent({ after: { id: 1, tags: ["a", "b"] } }),
      testEvent({ after: { id: 2, tags: [] } }),
    ]);
    assert.deepEqual(
      out.map((e) => e.after?.tag),
      ["a", "b"],
    );
  });

  it("reports a function that returns something other than events", async () => {
    const map = await createMap(
      { module: "./testdata/functions.ts", export: "returnsNothing" },
      context,
    );
    await assert.rejects(
      Promise.resolve(map.apply([testEvent()])),
      (e) => isSophiaError(e, "FLOW_TRANSFORM_FAILED") && e.message.includes("returned undefined"),
    );
  });

  it("mapTransform takes functions written in code", async () => {
    const upper = mapTransform("upper", (e) => ({ ...e, after: { ...e.after, title: "X" } }));
    const [out] = await upper.apply([testEvent({ after: { id: 1, title: "x" } })]);
    assert.equal(out?.after?.title, "X");
  });
});
