import assert from "node:assert/strict";
import { test } from "node:test";
import { until } from "../../support/poll.ts";
import { checkWebhook, FlowHarness, writeLoad } from "./harness.ts";

/**
 * SIGKILL at a named point (SOPHIA_FLOW_CRASH_AT), restart, and check the
 * documented guarantees: the PostgreSQL replica ends equal to the source
 * (no lost change, no duplicate effect); the webhook got every change at
 * least once, per key in order.
 */
async function crashAndRecover(point: string): Promise<void> {
  const h = new FlowHarness(point.replaceAll("-", "_"));
  try {
    await h.setup();
    await h.start({ SOPHIA_FLOW_CRASH_AT: `${point}:3` });
    await writeLoad(h.db, h.table, 30);
    const crashed = await h.exited();
    assert.equal(crashed, "SIGKILL", `the crash hook killed the process\n${h.stderr}`);
    const before = h.delivered.length;
    await writeLoad(h.db, h.table, 10, 5, 1000); // changes made while nothing runs
    await h.start();
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
      { timeoutMs: 60_000, everyMs: 100 },
    ).catch(() => undefined);
    assert.deepEqual(
      checkWebhook(h.delivered, source),
      [],
      `webhook: ${h.delivered.length} events, ${before} before the crash`,
    );
    assert.equal(await h.stop(), "0", `graceful stop exits 0\n${h.stderr}`);
    assert.deepEqual(await h.targetRows(), source);
  } finally {
    await h.cleanup();
  }
}

test(
  "SIGKILL after receiving a batch, before any sink wrote it: nothing lost",
  { timeout: 180_000 },
  () => crashAndRecover("after-receive"),
);

test(
  "SIGKILL after a sink write, before the acknowledgement: nothing lost, replica has no duplicate effect",
  { timeout: 180_000 },
  () => crashAndRecover("after-sink-write"),
);

test(
  "SIGKILL in the middle of a sink write: nothing lost, replica equals the source",
  { timeout: 180_000 },
  () => crashAndRecover("mid-batch"),
);
