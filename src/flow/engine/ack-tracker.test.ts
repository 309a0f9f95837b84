import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { AckTracker } from "./ack-tracker.ts";

test("acknowledges only what every sink has written, in order", () => {
  const tracker = new AckTracker(2);
  const a = tracker.register(10n);
  const b = tracker.register(undefined); // mid-transaction: no checkpoint
  const c = tracker.register(30n);
  tracker.done(0, a);
  assert.equal(tracker.take(), undefined, "sink 1 has written nothing");
  tracker.done(1, c);
  assert.equal(tracker.take(), undefined, "sink 1 skipped a and b: a hole stops the run");
  tracker.done(1, a);
  assert.equal(tracker.take(), 10n);
  tracker.done(0, b);
  tracker.done(0, c);
  tracker.done(1, b);
  assert.equal(tracker.take(), 30n);
  assert.equal(tracker.take(), undefined, "nothing new");
  assert.equal(tracker.inFlight, 0);
});

test("the slowest sink is the one holding the acknowledgement back", () => {
  const tracker = new AckTracker(3);
  const a = tracker.register(1n);
  tracker.register(2n);
  tracker.done(0, a);
  tracker.done(2, a);
  tracker.done(2, a + 1);
  assert.equal(tracker.slowest(), 1);
});

test("never below an acknowledgement restored at start", () => {
  const tracker = new AckTracker(1, 50n);
  tracker.done(0, tracker.register(40n));
  assert.equal(tracker.take(), undefined);
  tracker.done(0, tracker.register(60n));
  assert.equal(tracker.take(), 60n);
});

/** A model run: batches with increasing checkpoints (some undefined), sinks finishing in any order. */
const scenario = fc
  .record({
    sinks: fc.integer({ min: 1, max: 4 }),
    checkpoints: fc.array(fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }), {
      minLength: 1,
      maxLength: 30,
    }),
  })
  .chain(({ sinks, checkpoints }) =>
    fc.record({
      sinks: fc.constant(sinks),
      checkpoints: fc.constant(checkpoints),
      completions: fc.shuffledSubarray(
        Array.from({ length: sinks * checkpoints.length }, (_, i) => i),
      ),
    }),
  );

test("property: never acknowledges past a batch some sink has not written; acks grow", () => {
  fc.assert(
    fc.property(scenario, ({ sinks, checkpoints, completions }) => {
      // Cumulative increments make checkpoints increase along the stream, as LSNs do.
      let lsn = 0n;
      const lsns = checkpoints.map((step) => {
        if (step === undefined) return undefined;
        lsn += BigInt(step);
        return lsn;
      });
      const tracker = new AckTracker(sinks);
      const seqs = lsns.map((checkpoint) => tracker.register(checkpoint));
      const written = new Set<number>();
      let last = -1n;
      for (const completion of completions) {
        const sink = completion % sinks;
        const seq = seqs[Math.floor(completion / sinks)]!;
        tracker.done(sink, seq);
        written.add(completion);
        const acked = tracker.take();
        if (acked === undefined) continue;
        assert.ok(acked > last, "acknowledgements only grow");
        last = acked;
        // Every batch up to and including the acked checkpoint is written by every sink.
        const upTo = lsns.indexOf(acked);
        assert.ok(upTo >= 0, "an ack is always a batch's checkpoint");
        for (let batch = 0; batch <= upTo; batch++)
          for (let s = 0; s < sinks; s++)
            assert.ok(written.has(batch * sinks + s), `batch ${batch} unwritten by sink ${s}`);
      }
      const allDone = completions.length === sinks * lsns.length;
      const lastCheckpoint = lsns.findLast((checkpoint) => checkpoint !== undefined);
      if (allDone && lastCheckpoint !== undefined)
        assert.equal(
          tracker.acked,
          lastCheckpoint,
          "once all is written, the last checkpoint is acked",
        );
    }),
    { numRuns: 500 },
  );
});
