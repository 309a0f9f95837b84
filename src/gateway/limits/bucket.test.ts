import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type BucketLimit,
  type BucketState,
  decide,
  type LimitState,
  periodOf,
  type QuotaLimit,
} from "./bucket.ts";

/** Runs calls at the given times through one limit; returns the times that were let through. */
function grantedTimes(limit: BucketLimit | QuotaLimit, times: number[]): number[] {
  let state: LimitState | undefined;
  const granted: number[] = [];
  for (const now of times) {
    const decision = decide([{ limit, state }], now);
    if (decision.allowed) {
      state = decision.states[0];
      granted.push(now);
    }
  }
  return granted;
}

const arrivals = fc
  .array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 300 })
  .map((gaps) => {
    let at = 1_700_000_000_000;
    return gaps.map((gap) => {
      at += gap;
      return at;
    });
  });

test("a bucket never grants more than burst + rate × t over any window", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.double({ min: 0.0001, max: 0.5, noNaN: true }),
      arrivals,
      (burst, ratePerMs, times) => {
        const granted = grantedTimes({ kind: "bucket", ratePerMs, burst }, times);
        for (let i = 0; i < granted.length; i++) {
          for (let j = i; j < granted.length; j++) {
            const window = granted[j]! - granted[i]!;
            assert.ok(j - i + 1 <= burst + ratePerMs * window + 1e-9, `window ${i}..${j}`);
          }
        }
      },
    ),
  );
});

test("a bucket lets a burst through at once, then refuses with the wait until the next token", () => {
  const limit: BucketLimit = { kind: "bucket", ratePerMs: 1 / 100, burst: 3 };
  let state: LimitState | undefined;
  for (let i = 0; i < 3; i++) {
    const decision = decide([{ limit, state }], 1000);
    assert.equal(decision.allowed, true);
    if (decision.allowed) state = decision.states[0];
  }
  const refused = decide([{ limit, state }], 1000);
  assert.deepEqual(refused, { allowed: false, retryAfterMs: 100, denied: 0 });
  assert.equal(decide([{ limit, state }], 1100).allowed, true);
});

test("a clock going backwards refills nothing", () => {
  const limit: BucketLimit = { kind: "bucket", ratePerMs: 1, burst: 1 };
  const state: BucketState = { tokens: 0, at: 5000 };
  assert.equal(decide([{ limit, state }], 1000).allowed, false);
});

test("a quota never grants more than its limit within one period", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 50 }), arrivals, (limit, times) => {
      const quota: QuotaLimit = { kind: "quota", limit, period: "day" };
      const perPeriod = new Map<string, number>();
      for (const at of grantedTimes(quota, times)) {
        const id = periodOf("day", at).id;
        perPeriod.set(id, (perPeriod.get(id) ?? 0) + 1);
      }
      for (const count of perPeriod.values()) assert.ok(count <= limit);
    }),
  );
});

test("a refused check charges no other check, and retry-after is the longest wait", () => {
  const fast: BucketLimit = { kind: "bucket", ratePerMs: 1, burst: 5 };
  const quota: QuotaLimit = { kind: "quota", limit: 1, period: "month" };
  const now = Date.UTC(2026, 10, 30, 23, 0, 0);
  const used = { count: 1, period: periodOf("month", now).id };
  const decision = decide(
    [
      { limit: fast, state: undefined },
      { limit: quota, state: used },
    ],
    now,
  );
  assert.deepEqual(decision, { allowed: false, retryAfterMs: 3_600_000, denied: 1 });
});

test("periods end at the next UTC midnight and the first of the next month", () => {
  const now = Date.UTC(2026, 11, 31, 12);
  assert.equal(periodOf("day", now).endsAt, Date.UTC(2027, 0, 1));
  assert.equal(periodOf("month", now).endsAt, Date.UTC(2027, 0, 1));
  assert.notEqual(periodOf("day", now).id, periodOf("day", now + 86_400_000).id);
});
