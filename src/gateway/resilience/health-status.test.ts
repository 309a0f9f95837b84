import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { classify, type ReplicaHealth } from "./health-status.ts";

const ok = (index: number, pingMs = 5): ReplicaHealth => ({
  index,
  ready: true,
  inFlight: 0,
  circuit: "closed",
  ejected: false,
  pingMs,
});

describe("health classification", () => {
  test("every replica fine and fast: ready", () => {
    const report = classify([ok(0), ok(1, 8)], 1000);
    assert.equal(report.status, "ready");
    assert.equal(report.latencyMs, 8);
    assert.deepEqual(report.reasons, []);
  });

  test("a slow ping: degraded, not down", () => {
    const report = classify([ok(0, 1500)], 1000);
    assert.equal(report.status, "degraded");
    assert.match(report.reasons[0] ?? "", /slow: ping took 1500 ms/);
  });

  test("one replica ejected or open: degraded", () => {
    assert.equal(classify([ok(0), { ...ok(1), ejected: true }], 1000).status, "degraded");
    assert.deepEqual(classify([ok(0), { ...ok(1), circuit: "open" }], 1000).reasons, [
      "replica 1 circuit open",
    ]);
  });

  test("no replica can serve: down", () => {
    assert.equal(classify([], 1000).status, "down");
    assert.equal(classify([{ ...ok(0), ready: false }], 1000).status, "down");
    const dead = classify([{ ...ok(0), pingError: "no answer within 500 ms" }], 1000);
    assert.equal(dead.status, "down");
    assert.deepEqual(dead.reasons, ["not answering pings (no answer within 500 ms)"]);
  });
});
