import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSophiaError } from "../../shared/errors.ts";
import { createEnrich, enrichTransform } from "./enrich.ts";
import { testEvent } from "./test-event.ts";

const context = { configDir: import.meta.dirname };

describe("enrich", () => {
  it("hands the batch to the module function and passes options", async () => {
    const enrich = await createEnrich(
      { module: "./testdata/functions.ts", export: "addOwner" },
      context,
    );
    const out = await enrich.apply([testEvent({ key: { id: 1 } }), testEvent({ key: { id: 3 } })]);
    assert.deepEqual(
      out.map((e) => e.after?.owner),
      ["ada", null],
    );
    let seen: unknown;
    const spy = enrichTransform(
      "spy",
      (events, options) => {
        seen = options;
        return events;
      },
      { region: "eu" },
    );
    await spy.apply([testEvent()]);
    assert.deepEqual(seen, { region: "eu" });
  });

  it("turns a throw into FLOW_TRANSFORM_FAILED and checks the result is an array", async () => {
    const failing = enrichTransform("lookup", async () => {
      throw new Error("db down");
    });
    await assert.rejects(
      Promise.resolve(failing.apply([testEvent()])),
      (e) => isSophiaError(e, "FLOW_TRANSFORM_FAILED") && e.message.includes("db down"),
    );
    const wrong = enrichTransform("wrong", () => ({}) as never);
    await assert.rejects(Promise.resolve(wrong.apply([testEvent()])), /returned object/);
  });
});
