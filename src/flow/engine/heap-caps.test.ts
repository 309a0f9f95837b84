import assert from "node:assert/strict";
import { test } from "node:test";
import v8 from "node:v8";
import { capHeap, mayGrow } from "./heap-caps.ts";

test("mayGrow: only while one more doubling stays within the cap", () => {
  const mb = 1024 * 1024;
  assert.equal(mayGrow(2 * mb, 8 * mb), true);
  assert.equal(mayGrow(4 * mb, 8 * mb), true);
  assert.equal(mayGrow(4.2 * mb, 8 * mb), false);
  assert.equal(mayGrow(8 * mb, 8 * mb), false);
});

function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_size ?? 0;
}

test("under an allocation load that survives scavenges, the young generation stays near the cap", async () => {
  const cap = capHeap(8 * 1024 * 1024);
  try {
    let kept: { n: number; text: string }[] = [];
    let largest = 0;
    // Like a flow: bursts of objects that live across a few turns, then die.
    for (let round = 0; round < 300; round++) {
      for (let i = 0; i < 5000; i++) kept.push({ n: i, text: `row ${round} ${i}` });
      if (kept.length > 40_000) kept = [];
      largest = Math.max(largest, newSpaceBytes());
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(largest > 0, "new space size is reported");
    // One doubling past the cap can slip in before the observer runs; without the cap it reaches 64 MB.
    assert.ok(largest <= 17 * 1024 * 1024, `young generation reached ${largest} bytes`);
    assert.ok(cap.highWater <= largest);
  } finally {
    cap.stop();
  }
});
