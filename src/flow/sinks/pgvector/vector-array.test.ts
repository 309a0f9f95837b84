import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { packVectors, unpackVectors } from "./vector-array.ts";

test("header of a vector[]: ndim 1, null flag, the vector OID, size, lower bound 1", () => {
  const array = packVectors([[1, 2], null], 2, 16_385);
  assert.deepEqual(
    [0, 4, 8, 12, 16].map((at) => array.readInt32BE(at)),
    [1, 1, 16_385, 2, 1],
  );
  // First element: length 4 + 2 × 4, then pgvector's int16 dimensions and int16 unused.
  assert.deepEqual(
    [array.readInt32BE(20), array.readInt16BE(24), array.readInt16BE(26)],
    [12, 2, 0],
  );
  assert.equal(array.readFloatBE(28), 1);
  assert.equal(array.readInt32BE(36), -1, "null element");
  assert.equal(array.length, 40);
});

test("without nulls the flag is 0; no inputs give an array without dimensions", () => {
  assert.equal(packVectors([[1]], 1, 7).readInt32BE(4), 0);
  const empty = packVectors([], 3, 7);
  assert.equal(empty.length, 12);
  assert.deepEqual(unpackVectors(empty), []);
});

test("round trip: values rounded to float4, nulls in place", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 8 }).chain((dimensions) =>
        fc.array(
          fc.option(
            fc.array(fc.double({ noNaN: true }), {
              minLength: dimensions,
              maxLength: dimensions,
            }),
          ),
        ),
      ),
      (embeddings) => {
        const dimensions = embeddings.find((e) => e !== null)?.length ?? 1;
        const back = unpackVectors(packVectors(embeddings, dimensions, 99));
        assert.deepEqual(
          back,
          embeddings.map((e) => (e === null ? null : e.map(Math.fround))),
        );
      },
    ),
  );
});
