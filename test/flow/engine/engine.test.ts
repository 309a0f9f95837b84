import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FlowEngine, type FlowEngineOptions } from "../../../src/flow/engine/engine.ts";
import type { ChangeEvent } from "../../../src/flow/events.ts";
import { FileStateStore } from "../../../src/flow/state/file-store.ts";
import { loadCheckpoint, loadStatus, saveCheckpoint } from "../../../src/flow/state/store.ts";
import { isSophiaError } from "../../../src/shared/errors.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { until } from "../../support/poll.ts";
import { MemoryCapture, MemorySink, txBatch } from "./doubles.ts";

async function withState<T>(body: (state: FileStateStore) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "sophia-engine-"));
  try {
    const state = new FileStateStore(dir);
    await state.open();
    return await body(state);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function engine(
  parts: Pick<FlowEngineOptions, "capture" | "sinks" | "state"> & Partial<FlowEngineOptions>,
) {
  return new FlowEngine({
    flow: "t",
    transforms: [],
    logger: silentLogger(),
    batch: { size: 100, maxWaitMs: 1 },
    queueBatches: 2,
    walBudget: { maxBytes: undefined, policy: "alert", checkEveryMs: 20 },
    backoff: { firstMs: 1, maxMs: 5 },
    drainMs: 2000,
    ...parts,
  });
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

test("every sink gets every event in order and the last checkpoint is acknowledged", async () => {
  await withState(async (state) => {
    const capture = new MemoryCapture([
      txBatch(10, [1, 2]),
      txBatch(20, [3]),
      txBatch(30, [4, 5, 6]),
    ]);
    const a = new MemorySink("a");
    const b = new MemorySink("b");
    const flow = engine({ capture, sinks: [a, b], state });
    const running = flow.run();
    await until("acknowledgement of 30", () => (capture.acks.at(-1) === 30n ? true : undefined));
    await flow.stop();
    await running;
    assert.deepEqual(a.ids(), range(1, 6));
    assert.deepEqual(b.ids(), range(1, 6));
    assert.ok(capture.stopped && a.stopped && b.stopped, "everything is stopped");
    assert.deepEqual(
      [...capture.acks].sort((x, y) => Number(x - y)),
      capture.acks,
      "acks grow",
    );
    assert.equal(await loadCheckpoint(state, "t", "a"), 30n);
    assert.equal((await loadStatus(state, "t"))?.state, "stopped");
  });
});

test("a failing sink is retried on the same batch; nothing is acknowledged past it", async () => {
  await withState(async (state) => {
    const capture = new MemoryCapture([txBatch(10, [1]), txBatch(20, [2])]);
    const good = new MemorySink("good");
    const flaky = new MemorySink("flaky");
    flaky.failNext = 5;
    const flow = engine({ capture, sinks: [good, flaky], state });
    const running = flow.run();
    await until("good sink has both", () => (good.written.length === 2 ? true : undefined));
    assert.ok(!capture.acks.includes(20n) || flaky.written.length === 2);
    await until("ack 20", () => (capture.acks.at(-1) === 20n ? true : undefined));
    await flow.stop();
    await running;
    assert.deepEqual(flaky.ids(), [1, 2], "no batch skipped, none written twice");
    const metrics = await flow.metrics.registry.getSingleMetricAsString(
      "sophia_flow_retries_total",
    );
    assert.match(metrics, /sink="flaky",stage="sink"} 5/);
  });
});

test("a slow sink back-pressures capture: memory stays bounded", async () => {
  await withState(async (state) => {
    const capture = new MemoryCapture(range(1, 50).map((n) => txBatch(n * 10, [n])));
    const fast = new MemorySink("fast");
    const slow = new MemorySink("slow");
    let release: () => void = () => undefined;
    slow.gate = new Promise((resolve) => {
      release = resolve;
    });
    const flow = engine({ capture, sinks: [fast, slow], state, batch: { size: 1, maxWaitMs: 0 } });
    const running = flow.run();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // queue of 2 + one batch being written + one being pushed + one gathered ahead.
    assert.ok(capture.pulled <= 6, `capture was read ahead by ${capture.pulled} batches`);
    assert.equal(capture.acks.length, 0, "nothing acknowledged while the slow sink has nothing");
    slow.gate = undefined;
    release();
    await until("all 50 in the slow sink", () => (slow.written.length === 50 ? true : undefined));
    await until("ack 500", () => (capture.acks.at(-1) === 500n ? true : undefined));
    await flow.stop();
    await running;
    assert.deepEqual(slow.ids(), range(1, 50));
  });
});

test("on restart, events at or before a sink's stored checkpoint are skipped for that sink only", async () => {
  await withState(async (state) => {
    const capture = new MemoryCapture([txBatch(10, [1]), txBatch(20, [2]), txBatch(30, [3])]);
    const exact = new MemorySink("exact", "exactly-once");
    exact.storedCheckpoint = async () => 20n;
    const hook = new MemorySink("hook");
    await saveCheckpoint(state, "t", "hook", 10n);
    const other = new MemorySink("other");
    const flow = engine({ capture, sinks: [exact, hook, other], state });
    const running = flow.run();
    await until("ack 30", () => (capture.acks.at(-1) === 30n ? true : undefined));
    await flow.stop();
    await running;
    assert.deepEqual(exact.ids(), [3]);
    assert.deepEqual(hook.ids(), [2, 3]);
    assert.deepEqual(other.ids(), [1, 2, 3]);
  });
});

test("transforms run in order on each batch; batches gather up to the size", async () => {
  await withState(async (state) => {
    const capture = new MemoryCapture(range(1, 10).map((n) => txBatch(n, [n])));
    const sink = new MemorySink("s");
    const double = {
      name: "double",
      apply: (events: ChangeEvent[]) =>
        events.flatMap((e) => [e, { ...e, key: { id: (e.key.id as number) * 100 } }]),
    };
    const dropOdd = {
      name: "drop-odd",
      apply: (events: ChangeEvent[]) => events.filter((e) => (e.key.id as number) % 2 === 0),
    };
    const flow = engine({
      capture,
      sinks: [sink],
      state,
      transforms: [double, dropOdd],
      batch: { size: 4, maxWaitMs: 50 },
    });
    const running = flow.run();
    await until("ack 10", () => (capture.acks.at(-1) === 10n ? true : undefined));
    await flow.stop();
    await running;
    assert.deepEqual(
      sink.ids(),
      [100, 2, 200, 300, 4, 400, 500, 6, 600, 700, 8, 800, 900, 10, 1000],
    );
    assert.ok(
      sink.checkpoints.length <= 5,
      `gathered into few writes, got ${sink.checkpoints.length}`,
    );
  });
});

test("a lost slot stops the flow with FLOW_SLOT_INVALIDATED and the re-backfill hint", async () => {
  await withState(async (state) => {
    const capture = new MemoryCapture([txBatch(10, [1])]);
    capture.slot = { walStatus: "lost", slot: "sophia_t" };
    const flow = engine({ capture, sinks: [new MemorySink("s")], state });
    await assert.rejects(flow.run(), (error) => {
      assert.ok(isSophiaError(error, "FLOW_SLOT_INVALIDATED"));
      assert.match(
        error.hint ?? "",
        /pg_drop_replication_slot\('sophia_t'\).*sophia flow backfill t/,
      );
      return true;
    });
    assert.equal((await loadStatus(state, "t"))?.state, "failed");
  });
});

test("walBudget pause detaches the sink holding the slot back", async () => {
  await withState(async (state) => {
    const capture = new MemoryCapture([txBatch(10, [1]), txBatch(20, [2])]);
    capture.slot = { retainedBytes: 5000n };
    const ok = new MemorySink("ok");
    const stuck = new MemorySink("stuck");
    stuck.failNext = 1_000_000;
    const flow = engine({
      capture,
      sinks: [ok, stuck],
      state,
      walBudget: { maxBytes: 1000, policy: "pause", checkEveryMs: 20 },
    });
    const running = flow.run();
    await until("ack 20 despite the stuck sink", () =>
      capture.acks.at(-1) === 20n ? true : undefined,
    );
    assert.equal(flow.status("running").sinks.stuck?.paused, true);
    await flow.stop();
    await running;
    assert.deepEqual(stuck.ids(), []);
  });
});

test("stop finishes queued batches, acknowledges them, and is quick when idle", async () => {
  await withState(async (state) => {
    const capture = new MemoryCapture([txBatch(10, [1]), txBatch(20, [2])]);
    const sink = new MemorySink("s");
    sink.delayMs = 150;
    const flow = engine({ capture, sinks: [sink], state, batch: { size: 1, maxWaitMs: 0 } });
    const running = flow.run();
    await until("both batches pulled", () => (capture.pulled >= 2 ? true : undefined), {
      everyMs: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 5)); // queued; the first write takes 150 ms
    assert.equal(sink.written.length, 0, "stop comes while the first write is in flight");
    const t0 = Date.now();
    await flow.stop();
    await running;
    assert.deepEqual(
      sink.ids(),
      [1, 2],
      `in-flight and queued batches were finished ${capture.acks} ${capture.pulled} ${sink.checkpoints}`,
    );
    assert.equal(capture.acks.at(-1), 20n);
    assert.ok(Date.now() - t0 < 2000);
  });
});
