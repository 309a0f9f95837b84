import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { canEject, ejectionDuration, type OutlierView, slowOutlier } from "./outlier.ts";

const SETTINGS = { failures: 5, latencyFactor: 5, ejectionMs: 1000, maxEjectionMs: 8000 };
const view = (latencyMs: number | undefined, ready = true, ejected = false): OutlierView => ({
  ready,
  ejected,
  latencyMs,
});

describe("outlier ejection", () => {
  test("a replica far slower than its peers is the outlier", () => {
    assert.equal(slowOutlier([view(10), view(12), view(400)], SETTINGS), 2);
  });

  test("small absolute latencies are never outliers", () => {
    assert.equal(slowOutlier([view(1), view(40)], SETTINGS), undefined);
  });

  test("the last serving replica is never ejected", () => {
    assert.equal(slowOutlier([view(10, true, true), view(400)], SETTINGS), undefined);
    assert.equal(canEject([view(10, false), view(400)], 1), false);
    assert.equal(canEject([view(10), view(400)], 1), true);
  });

  test("ejections grow and stop at the ceiling", () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 30].map((n) => ejectionDuration(n, SETTINGS)),
      [1000, 2000, 4000, 8000, 8000, 8000],
    );
  });

  test("property: ejecting what slowOutlier names always leaves a serving replica", () => {
    const viewArb = fc.record({
      ready: fc.boolean(),
      ejected: fc.boolean(),
      latencyMs: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(viewArb, { maxLength: 8 }), (views) => {
        const index = slowOutlier(views, SETTINGS);
        if (index === undefined) return;
        const after = views.map((v, i) => (i === index ? { ...v, ejected: true } : v));
        assert.ok(after.some((v) => v.ready && !v.ejected));
      }),
    );
  });
});
