import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { backoffDelay, DEFAULT_BACKOFF } from "./backoff.ts";

test("backoff doubles from 200 ms to a 30 s ceiling", () => {
  const top = (attempt: number) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 1);
  assert.deepEqual(
    [0, 1, 2, 3, 7, 8, 50, 5000].map(top),
    [200, 400, 800, 1600, 25_600, 30_000, 30_000, 30_000],
  );
});

test("property: jitter keeps the delay within [half, full] of the step", () => {
  fc.assert(
    fc.property(
      fc.nat(100),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (attempt, r) => {
        const full = Math.min(30_000, 200 * 2 ** attempt);
        const delay = backoffDelay(attempt, DEFAULT_BACKOFF, () => r);
        assert.ok(
          delay >= Math.floor(full / 2) && delay <= full,
          `${delay} outside [${full / 2}, ${full}]`,
        );
      },
    ),
  );
});
