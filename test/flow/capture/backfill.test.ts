import assert from "node:assert/strict";
import { test } from "node:test";
import type { BackfillProgress } from "../../../src/flow/capture/index.ts";
import { openCapture } from "../../../src/flow/capture/index.ts";
import type { ChangeEvent } from "../../../src/flow/events.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { fixture, withTimeout } from "./support.ts";

test("backfill: chunks in key order as read events, consistent with earlier changes, resumable after the last key", async () => {
  const fx = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, v text)`);
  await fx.db.query(`INSERT INTO ${fx.table} SELECT g, 'old' FROM generate_series(1, 2500) g`);
  const stream = await openCapture(fx.options({ batchSize: 200 }), silentLogger());
  try {
    const events: ChangeEvent[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const batch = await stream.next();
        if (batch === undefined) return;
        events.push(...batch.events);
        if (batch.checkpoint !== undefined) stream.acknowledge(batch.checkpoint);
      }
    })();
    const progress: BackfillProgress[] = [];
    // First run stops after two chunks (as if the process died), the second resumes from saved progress.
    const first = stream.backfillTable({
      table: fx.table,
      chunkSize: 1000,
      onProgress: async (p) => {
        progress.push(p);
        if (progress.length === 1)
          await fx.db.query(`UPDATE ${fx.table} SET v = 'new' WHERE id = 1500`);
      },
    });
    const done = await withTimeout(first, 30_000, "backfill");
    assert.equal(done.done, true);
    assert.equal(done.rowsDone, 2500);
    assert.deepEqual(
      progress.map((p) => p.rowsDone),
      [1000, 2000, 2500],
    );
    assert.deepEqual(progress[1]?.lastKey, { id: 2000 });
    assert.ok(
      progress.every(
        (p, i) => i === 0 || p.durableAfter > (progress[i - 1]?.durableAfter as bigint),
      ),
    );
    const resumed = await stream.backfillTable({
      table: fx.table,
      chunkSize: 1000,
      resumeFrom: progress[1],
    });
    assert.equal(resumed.rowsDone, 2500);
    await withTimeout(
      (async () => {
        while (events.filter((e) => e.op === "read").length < 3000)
          await new Promise((r) => setTimeout(r, 20));
      })(),
      10_000,
      "read events",
    );
    reading = false;
    const reads = events.filter((e) => e.op === "read");
    assert.deepEqual(
      reads.slice(0, 2500).map((e) => e.key.id),
      [...Array(2500).keys()].map((i) => i + 1),
    );
    assert.deepEqual(
      reads.slice(2500).map((e) => e.key.id),
      [...Array(500).keys()].map((i) => i + 2001),
      "resume starts after the last key",
    );
    const row1500 = reads.find((e) => e.key.id === 1500);
    const update = events.find((e) => e.op === "update" && e.key.id === 1500);
    assert.ok(update !== undefined);
    // Changed before its chunk was read: the chunk row has the new value and comes after the change.
    assert.equal(row1500?.after?.v, "new");
    assert.ok(events.indexOf(update) < events.indexOf(row1500 as ChangeEvent));
    assert.equal(reads[0]?.source.txId, 0);
    await withTimeout(
      stream.stop().then(() => reader),
      10_000,
      "reader end",
    );
  } finally {
    await stream.stop();
    await fx.cleanup();
  }
});
