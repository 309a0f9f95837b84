import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { reciprocalRankFusion } from "./fusion.ts";

const list = (...ids: string[]) => ids.map((id) => ({ id, item: id }));

test("an item ranked well in both lists beats one ranked first in only one", () => {
  const fused = reciprocalRankFusion([list("a", "b", "c"), list("b", "d", "a")], 60);
  assert.deepEqual(
    fused.map((f) => f.id),
    ["b", "a", "d", "c"],
  );
  assert.ok(Math.abs(fused[0]!.score - (1 / 62 + 1 / 61)) < 1e-12);
});

test("one list keeps its order", () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.string(), { maxLength: 30 }), (ids) => {
      const fused = reciprocalRankFusion([list(...ids)], 60);
      assert.deepEqual(
        fused.map((f) => f.id),
        ids,
      );
    }),
  );
});

test("scores are positive, sorted, and every input id appears once", () => {
  fc.assert(
    fc.property(
      fc.array(fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e"), { maxLength: 5 }), {
        maxLength: 4,
      }),
      fc.integer({ min: 1, max: 100 }),
      (lists, k) => {
        const fused = reciprocalRankFusion(
          lists.map((ids) => list(...ids)),
          k,
        );
        const ids = new Set(lists.flat());
        assert.equal(fused.length, ids.size);
        for (let i = 1; i < fused.length; i++) assert.ok(fused[i - 1]!.score >= fused[i]!.score);
        // The bound is a sum of equal fractions: allow for its rounding (3 × 1/80 > 3/80 in floats).
        const bound = lists.length / (k + 1) + 1e-12;
        assert.ok(fused.every((f) => f.score > 0 && f.score <= bound));
      },
    ),
  );
});
