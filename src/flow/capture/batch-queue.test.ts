import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { ChangeEvent } from "../events.ts";
import { BatchQueue } from "./batch-queue.ts";

function event(n: number, commitLsn: bigint): ChangeEvent {
  return {
    op: "insert",
    key: { id: n },
    before: null,
    after: { id: n },
    source: { schema: "s", table: "t", commitLsn, seq: n, txId: 1, commitTimeMs: 0 },
  };
}

test("small transactions share a batch that ends at the last commit it reaches", () => {
  const q = new BatchQueue(10, 100);
  q.pushEvent(event(0, 1n));
  q.pushCommit(10n);
  q.pushEvent(event(1, 11n));
  q.pushCommit(20n);
  q.pushEvent(event(2, 21n)); // transaction still arriving
  const batch = q.take();
  assert.deepEqual(
    batch?.events.map((e) => e.key.id),
    [0, 1],
  );
  assert.equal(batch?.checkpoint, 20n);
  assert.equal(q.take(), undefined, "a partial transaction below batch size waits for its commit");
});

test("a large transaction goes out in full batches without checkpoint, the last one with it", () => {
  const q = new BatchQueue(3, 100);
  for (let i = 0; i < 7; i++) q.pushEvent(event(i, 1n));
  assert.deepEqual(q.take()?.checkpoint, undefined);
  assert.deepEqual(q.take()?.checkpoint, undefined);
  assert.equal(q.take(), undefined);
  q.pushCommit(99n);
  const last = q.take();
  assert.deepEqual(
    last?.events.map((e) => e.key.id),
    [6],
  );
  assert.equal(last?.checkpoint, 99n);
});

test("an empty transaction (heartbeat) is an empty batch with its checkpoint", () => {
  const q = new BatchQueue(10, 100);
  q.pushCommit(50n);
  assert.deepEqual(q.take(), { events: [], checkpoint: 50n });
});

test("full queue is ready even inside a transaction; resume only when half drained", () => {
  const q = new BatchQueue(4, 8);
  for (let i = 0; i < 8; i++) q.pushEvent(event(i, 1n));
  assert.equal(q.full, true);
  q.take();
  assert.equal(q.canResume, true);
  assert.equal(q.highWater, 8);
});

test("property: batches keep order, never exceed batch size, checkpoints only at commits", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 7 }),
      (txSizes, size) => {
        const q = new BatchQueue(size, 1000);
        let n = 0;
        const commitAfter = new Map<number, bigint>();
        txSizes.forEach((count, tx) => {
          for (let i = 0; i < count; i++) q.pushEvent(event(n++, BigInt(tx)));
          q.pushCommit(BigInt(tx) * 10n + 5n);
          commitAfter.set(n, BigInt(tx) * 10n + 5n);
        });
        const seen: number[] = [];
        for (let guard = 0; guard < 1000; guard++) {
          const batch = q.take();
          if (batch === undefined) break;
          assert.ok(batch.events.length <= size);
          seen.push(...batch.events.map((e) => e.key.id as number));
          if (batch.checkpoint !== undefined) assert.equal(commitAfter.has(seen.length), true);
        }
        assert.deepEqual(seen, [...Array(n).keys()]);
        assert.equal(q.events, 0);
      },
    ),
  );
});
