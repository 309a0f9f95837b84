import assert from "node:assert/strict";
import { test } from "node:test";
import { Inbox } from "./inbox.ts";

async function* timed(items: [number, number][]): AsyncGenerator<number> {
  for (const [value, delayMs] of items) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield value;
  }
}

test("batches gather what arrives within the wait, up to max, in order", async () => {
  const inbox = new Inbox(
    timed([
      [1, 0],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 200],
    ]),
  );
  assert.deepEqual(await inbox.take(3, 100, 1000), [1, 2, 3]);
  assert.deepEqual(await inbox.take(3, 30, 1000), [4]);
  assert.deepEqual(await inbox.take(3, 30, 1000), [5]);
  await inbox.done;
  assert.equal(inbox.ended, true);
  assert.deepEqual(await inbox.take(3, 30, 50), []);
});

test("an idle inbox returns an empty batch after idleMs", async () => {
  const inbox = new Inbox(timed([[1, 300]]));
  const started = Date.now();
  assert.deepEqual(await inbox.take(10, 10, 50), []);
  assert.ok(Date.now() - started < 250);
  assert.deepEqual(await inbox.take(10, 10, 1000), [1]);
});
