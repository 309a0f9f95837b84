import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { until } from "../../support/poll.ts";
import { checkWebhook, FlowHarness, writeLoad } from "./harness.ts";

test("the webhook receiver down for a while: the engine catches up in order, nothing acknowledged early", {
  timeout: 180_000,
}, async () => {
  const h = new FlowHarness("down");
  try {
    await h.setup();
    await h.start();
    h.accepting = false;
    await writeLoad(h.db, h.table, 15);
    await sleep(1500);
    assert.equal(h.delivered.length, 0, "nothing recorded while the receiver refuses");
    const slot = await h.db.query(
      "SELECT pg_current_wal_lsn() - confirmed_flush_lsn AS lag FROM pg_replication_slots WHERE slot_name = $1",
      [`sophia_${h.name}`],
    );
    assert.ok(Number(slot.rows[0]?.lag) > 0, "the slot is not advanced past undelivered changes");
    h.accepting = true;
    const source = await h.sourceRows();
    await until(
      "every change at the webhook",
      () => (checkWebhook(h.delivered, source).length === 0 ? true : undefined),
      {
        timeoutMs: 60_000,
        everyMs: 100,
      },
    ).catch(() => undefined);
    assert.deepEqual(checkWebhook(h.delivered, source), []);
    assert.equal(await h.stop(), "0");
  } finally {
    await h.cleanup();
  }
});

test("the walsender terminated under load: capture reconnects and resumes with nothing lost", {
  timeout: 180_000,
}, async () => {
  const h = new FlowHarness("walsender");
  try {
    await h.setup();
    await h.start();
    const load = writeLoad(h.db, h.table, 40);
    await sleep(300);
    const killed = await h.db.query(
      "SELECT pg_terminate_backend(active_pid) AS ok FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL",
      [`sophia_${h.name}`],
    );
    assert.equal(killed.rows[0]?.ok, true, "a walsender was terminated");
    await load;
    const source = await h.sourceRows();
    await until(
      "the replica to equal the source",
      async () =>
        JSON.stringify(await h.targetRows()) === JSON.stringify(source) ? true : undefined,
      { timeoutMs: 60_000, everyMs: 100 },
    );
    await until(
      "every change at the webhook",
      () => (checkWebhook(h.delivered, source).length === 0 ? true : undefined),
      {
        timeoutMs: 60_000,
        everyMs: 100,
      },
    ).catch(() => undefined);
    assert.deepEqual(checkWebhook(h.delivered, source), []);
    assert.ok(h.child?.exitCode === null, "the same process kept running");
    assert.equal(await h.stop(), "0");
  } finally {
    await h.cleanup();
  }
});
