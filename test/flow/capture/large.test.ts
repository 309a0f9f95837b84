import assert from "node:assert/strict";
import { test } from "node:test";
import { openCapture } from "../../../src/flow/capture/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { fixture, withTimeout } from "./support.ts";

const ROWS = 200_000;
const MAX_BUFFERED = 5_000;
const BATCH = 1_000;

test("a 200k-row transaction flows through a 5,000-event queue: bounded buffer, checkpoint only at its end", async () => {
  const fx = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, name text)`);
  const stream = await openCapture(
    fx.options({ batchSize: BATCH, maxBufferedEvents: MAX_BUFFERED }),
    silentLogger(),
  );
  try {
    await fx.db.query(
      `INSERT INTO ${fx.table} SELECT g, 'row ' || g FROM generate_series(1, ${ROWS}) g`,
    );
    let received = 0;
    let checkpoints = 0;
    let expectedId = 1;
    const started = Date.now();
    const deadline = started + 120_000;
    while (received < ROWS) {
      const batch = await withTimeout(
        stream.next(),
        deadline - Date.now(),
        `at ${received} of ${ROWS} rows`,
      );
      if (batch === undefined) break;
      assert.ok(batch.events.length <= BATCH);
      for (const event of batch.events) assert.equal(event.key.id, expectedId++);
      received += batch.events.length;
      if (batch.checkpoint !== undefined) {
        checkpoints++;
        assert.equal(received, ROWS, "the only checkpoint is on the batch that ends at the commit");
        stream.acknowledge(batch.checkpoint);
      }
      // A slow consumer now and then, so the queue fills and the socket is paused.
      if (received % 50_000 === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const seconds = (Date.now() - started) / 1000;
    assert.equal(received, ROWS);
    assert.equal(checkpoints, 1);
    // Bounded: what was decoded from the socket after the pause (at most one read) may exceed the limit a little.
    const high = stream.bufferedHighWater;
    assert.ok(high >= MAX_BUFFERED, `the queue filled (high water ${high})`);
    assert.ok(
      high < MAX_BUFFERED * 2,
      `buffer stayed bounded: high water ${high} events for ${ROWS} rows`,
    );
    console.log(
      `# ${ROWS} rows in ${seconds.toFixed(2)} s (${Math.round(ROWS / seconds)} rows/s), buffer high water ${high}`,
    );
  } finally {
    await stream.stop();
    await fx.cleanup();
  }
});
