import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createSemaphore } from "./semaphore.ts";

describe("createSemaphore", () => {
  it("never runs more than the limit and runs everything", async () => {
    const limit = createSemaphore(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(i % 3);
          running--;
          return i;
        }),
      ),
    );
    assert.equal(peak, 3);
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  it("frees the slot when a task fails", async () => {
    const limit = createSemaphore(1);
    await assert.rejects(limit(async () => Promise.reject(new Error("x"))));
    assert.equal(await limit(async () => 1), 1);
  });
});
