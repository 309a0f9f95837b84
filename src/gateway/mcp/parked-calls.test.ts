import assert from "node:assert/strict";
import { test } from "node:test";
import type { ModernCall } from "./modern-call.ts";
import { ParkedCalls } from "./parked-calls.ts";

function fakeCall() {
  let abandoned = 0;
  const call = { abandon: () => void abandoned++ } as unknown as ModernCall;
  return { call, abandoned: () => abandoned };
}

test("a requestState is good for one retry; an unclaimed call is abandoned after the wait", async () => {
  const parked = new ParkedCalls(30);
  const kept = fakeCall();
  const state = parked.park(kept.call);
  assert.equal(parked.take(state), kept.call);
  assert.equal(parked.take(state), undefined, "used once");
  const forgotten = fakeCall();
  const stale = parked.park(forgotten.call);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(forgotten.abandoned(), 1);
  assert.equal(parked.take(stale), undefined);
  assert.equal(kept.abandoned(), 0, "a claimed call's timer was cleared");
});

test("abandonAll releases every waiting call (gateway shutdown)", () => {
  const parked = new ParkedCalls(60_000);
  const calls = [fakeCall(), fakeCall()];
  for (const c of calls) parked.park(c.call);
  parked.abandonAll();
  assert.deepEqual(
    calls.map((c) => c.abandoned()),
    [1, 1],
  );
  assert.equal(parked.size, 0);
});
