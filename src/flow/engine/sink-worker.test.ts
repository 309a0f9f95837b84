import assert from "node:assert/strict";
import { test } from "node:test";
import { silentLogger } from "../../shared/logger.ts";
import type { ChangeBatch, ChangeEvent } from "../events.ts";
import type { Sink } from "../sink.ts";
import { BoundedQueue } from "./bounded-queue.ts";
import { FlowMetrics } from "./metrics.ts";
import { type QueuedBatch, SinkWorker } from "./sink-worker.ts";

function batch(lsn: number, count: number): ChangeBatch {
  const events: ChangeEvent[] = Array.from({ length: count }, (_, seq) => ({
    op: "insert",
    key: { id: lsn * 1000 + seq },
    before: null,
    after: { id: lsn * 1000 + seq },
    source: { schema: "s", table: "t", commitLsn: BigInt(lsn), seq, txId: lsn, commitTimeMs: 0 },
  }));
  return { events, checkpoint: BigInt(lsn) };
}

/** A sink whose writes wait until released, recording what it was handed and when. */
function slowSink() {
  const log: string[] = [];
  const written: ChangeBatch[] = [];
  const prepared: ChangeBatch[] = [];
  let release: (() => void) | undefined;
  let inFlight = 0;
  const sink: Sink = {
    name: "slow",
    guarantee: "at-least-once",
    async start() {},
    async stop() {},
    async write(b) {
      inFlight++;
      assert.equal(inFlight, 1, "one write at a time");
      log.push(`write ${b.checkpoint}`);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      written.push(b);
      inFlight--;
    },
    prepare(b) {
      assert.equal(inFlight, 1, "prepared only while a write is in flight");
      log.push(`prepare ${b.checkpoint}`);
      prepared.push(b);
    },
  };
  return { sink, log, written, prepared, release: () => release?.() };
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

test("with a full next write queued, the sink prepares it during the current write and then writes that same batch", async () => {
  const { sink, log, written, prepared, release } = slowSink();
  const queue = new BoundedQueue<QueuedBatch>(8);
  const done: number[] = [];
  const worker = new SinkWorker({
    sink,
    queue,
    skipThrough: undefined,
    backoff: { firstMs: 1, maxMs: 1 },
    signal: new AbortController().signal,
    metrics: new FlowMetrics("f"),
    logger: silentLogger(),
    fault: undefined,
    maxEvents: 10,
    onDone: (seq) => done.push(seq),
  });
  await queue.push({ seq: 1, batch: batch(1, 10) });
  await queue.push({ seq: 2, batch: batch(2, 6) });
  await queue.push({ seq: 3, batch: batch(3, 4) });
  await queue.push({ seq: 4, batch: batch(4, 3) });
  const running = worker.run();
  await turns(5);
  // Batch 1 is being written; 2 and 3 (10 events) make a full write: planned and prepared.
  assert.deepEqual(log, ["write 1", "prepare 3"]);
  release();
  await turns(5);
  assert.equal(written[0]?.checkpoint, 1n);
  assert.equal(log[2], "write 3");
  assert.equal(written.length, 1);
  // Only batch 4 (3 events) is queued now: no look-ahead, it may still gather more.
  assert.equal(prepared.length, 1);
  release();
  await turns(5);
  assert.strictEqual(written[1], prepared[0], "the prepared batch object is the one written");
  assert.equal(written[1]?.events.length, 10);
  queue.close();
  release();
  await turns(5);
  release();
  await running;
  assert.deepEqual(done, [1, 2, 3, 4]);
  assert.deepEqual(log, ["write 1", "prepare 3", "write 3", "write 4"]);
});
