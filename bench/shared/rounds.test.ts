import assert from "node:assert/strict";
import { test } from "node:test";
import { median, roundOrder } from "./rounds.ts";

test("roundOrder alternates the order from round to round", () => {
  assert.deepEqual(roundOrder(["a", "b", "c"], 1), ["a", "b", "c"]);
  assert.deepEqual(roundOrder(["a", "b", "c"], 2), ["c", "b", "a"]);
  assert.deepEqual(roundOrder(["a", "b", "c"], 3), ["a", "b", "c"]);
});

test("median of odd and even counts", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});
