import assert from "node:assert/strict";
import { test } from "node:test";
import { createLatencyRecorder, percentile, summarize } from "./stats.ts";

test("percentile uses the nearest rank", () => {
  const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 50), 50);
  assert.equal(percentile(sorted, 99), 99);
  assert.equal(percentile(sorted, 100), 100);
  assert.equal(percentile(Float64Array.of(7), 99), 7);
  assert.ok(Number.isNaN(percentile(new Float64Array(0), 50)));
});

test("the recorder grows past its first buffer and summarizes numerically", () => {
  const recorder = createLatencyRecorder();
  for (let i = 200_000; i >= 1; i--) recorder.add(i / 10);
  const summary = summarize(recorder);
  assert.equal(summary.count, 200_000);
  assert.equal(summary.p50Ms, 10_000);
  assert.equal(summary.maxMs, 20_000);
});
