import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { testEvent } from "../transforms/test-event.ts";
import { toDebezium } from "./debezium.ts";
import { toJson } from "./json.ts";

describe("toJson", () => {
  it("prints the LSN as PostgreSQL does and names the event by its id", () => {
    const event = testEvent({
      op: "update",
      before: { id: 1 },
      after: { id: 1, t: "x" },
      unchanged: ["body"],
    });
    const json = toJson(event);
    assert.equal(json.id, "public.docs:16b374d848:0");
    assert.equal(json.source.commitLsn, "16/B374D848");
    assert.deepEqual(json.unchanged, ["body"]);
    assert.equal(JSON.parse(JSON.stringify(json)).source.commitLsn, "16/B374D848");
    assert.equal("previousKey" in json, false);
  });

  it("keeps previousKey and chunks when present, defaults unchanged to []", () => {
    const event = testEvent({ previousKey: { id: 0 }, chunksUnchanged: true });
    const json = toJson(event);
    assert.deepEqual(json.previousKey, { id: 0 });
    assert.equal(json.chunksUnchanged, true);
    assert.deepEqual(json.unchanged, []);
  });
});

describe("toDebezium", () => {
  const options = { name: "shop", db: "app" };

  it("maps every operation to Debezium's letter", () => {
    const ops = ["insert", "update", "delete", "truncate", "read"] as const;
    const letters = ops.map((op) => toDebezium(testEvent({ op }), options).op);
    assert.deepEqual(letters, ["c", "u", "d", "t", "r"]);
  });

  it("fills source like Debezium's PostgreSQL connector", () => {
    const envelope = toDebezium(testEvent({ op: "read" }), { ...options, nowMs: 5 });
    assert.deepEqual(envelope.source, {
      version: "sophia-0.1.0",
      connector: "postgresql",
      name: "shop",
      ts_ms: 1_700_000_000_000,
      snapshot: "true",
      db: "app",
      schema: "public",
      table: "docs",
      txId: 771,
      lsn: 0x16b374d848,
    });
    assert.equal(envelope.ts_ms, 5);
  });

  it("gives a delete without an old row its key as before", () => {
    const envelope = toDebezium(testEvent({ op: "delete", key: { id: 9 }, before: null }), options);
    assert.deepEqual(envelope.before, { id: 9 });
    assert.equal(envelope.after, null);
    assert.equal(envelope.source.snapshot, "false");
  });

  it("leaves unchanged TOAST columns out instead of writing a placeholder", () => {
    const event = testEvent({ op: "update", after: { id: 1, title: "t" }, unchanged: ["body"] });
    assert.deepEqual(toDebezium(event, options).after, { id: 1, title: "t" });
  });
});
