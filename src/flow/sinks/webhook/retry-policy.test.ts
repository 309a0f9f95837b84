import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { backoffMs, classify, nextDelay, retryAfterMs } from "./retry-policy.ts";

const policy = { initialDelayMs: 100, maxDelayMs: 1000, maxAttempts: 5, maxElapsedMs: 10_000 };

test("classify: 2xx done; 408, 429, 5xx and network retry; other 4xx permanent", () => {
  assert.equal(classify({ kind: "status", status: 204 }), "done");
  for (const status of [408, 429, 500, 503])
    assert.equal(classify({ kind: "status", status }), "retry");
  for (const status of [400, 401, 404, 422, 301])
    assert.equal(classify({ kind: "status", status }), "permanent");
  assert.equal(classify({ kind: "network", message: "ECONNREFUSED" }), "retry");
});

test("retryAfterMs reads seconds and HTTP dates", () => {
  assert.equal(retryAfterMs("3", 0), 3000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(retryAfterMs("soon", 0), undefined);
  assert.equal(retryAfterMs(undefined, 0), undefined);
});

test("backoff stays within [0, min(maxDelay, initial·2^(n-1))] (full jitter)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.double({ min: 0, max: 0.999999, noNaN: true }),
      (n, r) => {
        const delay = backoffMs(policy, n, () => r);
        return delay >= 0 && delay <= Math.min(1000, 100 * 2 ** (n - 1));
      },
    ),
  );
});

test("nextDelay gives up after maxAttempts or past maxElapsed, and waits Retry-After in full", () => {
  assert.equal(
    nextDelay(policy, 5, 0, undefined, () => 0.5),
    undefined,
  );
  assert.equal(
    nextDelay(policy, 1, 9_990, undefined, () => 0.5),
    undefined,
  );
  assert.equal(
    nextDelay(policy, 1, 0, 5000, () => 0.5),
    5000,
  );
  assert.equal(
    nextDelay(policy, 2, 0, undefined, () => 0.5),
    100,
  );
});
