import assert from "node:assert/strict";
import { test } from "node:test";
import { openCapture } from "../../../src/flow/capture/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { collect, fixture, sleep } from "./support.ts";

test("status: active slot, lag in bytes and seconds until acknowledged", async () => {
  const fx = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY)`);
  const stream = await openCapture(fx.options(), silentLogger());
  try {
    await fx.db.query(`INSERT INTO ${fx.table} VALUES (1)`);
    const { batches } = await collect(stream, 1);
    await sleep(1100);
    const pending = await stream.status();
    assert.equal(pending.active, true);
    assert.equal(pending.slot, fx.name);
    assert.equal(pending.walStatus, "reserved");
    assert.ok(pending.lagBytes > 0n);
    assert.ok(
      pending.lagSeconds >= 1,
      `lag ${pending.lagSeconds}s for a change received a second ago`,
    );
    assert.ok(pending.currentLsn >= pending.confirmedFlushLsn);
    stream.acknowledge(batches[0]?.checkpoint as bigint);
    await sleep(300);
    const done = await stream.status();
    assert.equal(done.lagSeconds, 0);
    assert.equal(done.confirmedFlushLsn, batches[0]?.checkpoint);
  } finally {
    await stream.stop();
    await fx.cleanup();
  }
});
