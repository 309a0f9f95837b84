import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { packEmbeddings, unpackEmbeddings } from "./float4-array.ts";

test("header of a one-dimensional float4[]: ndim 1, no nulls, element oid 700, size, lower bound 1", () => {
  const { array, slots } = packEmbeddings([[1, 2], null, [3, 4]], 2);
  assert.deepEqual(slots, [0, null, 1]);
  assert.deepEqual(
    [0, 4, 8, 12, 16].map((at) => array.readInt32BE(at)),
    [1, 0, 700, 4, 1],
  );
  // Each element: its length (4) then the big-endian float.
  assert.equal(array.readInt32BE(20), 4);
  assert.equal(array.readFloatBE(24), 1);
  assert.equal(array.length, 20 + 4 * 8);
});

test("no embeddings: an empty array without dimensions", () => {
  const { array, slots } = packEmbeddings([null, null], 3);
  assert.deepEqual(slots, [null, null]);
  assert.equal(array.length, 12);
  assert.equal(array.readInt32BE(0), 0);
  assert.deepEqual(unpackEmbeddings(array), []);
});

test("values round to float4 exactly as PostgreSQL's real does (Math.fround)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.option(fc.array(fc.double({ noNaN: true }), { minLength: 3, maxLength: 3 }))),
      (embeddings) => {
        const { array, slots } = packEmbeddings(embeddings, 3);
        const present = embeddings.filter((e) => e !== null);
        assert.deepEqual(unpackEmbeddings(array), present.flat().map(Math.fround));
        assert.equal(slots.filter((s) => s !== null).length, present.length);
      },
    ),
  );
});
