/**
 * Every embedding of a batch as one vector[] in PostgreSQL's binary array
 * format, each element in pgvector's binary form (what vector_send writes:
 * int16 dimensions, int16 unused, then the float4s). The server reads a
 * vector with one call instead of one call per float, and the message is half
 * the size of a float4[] (no length word per float).
 */

import { wordBuffer } from "./words.ts";

const HEADER = 20;

/** One element per input, null where an input has no embedding; each has `dimensions` values. */
export function packVectors(
  embeddings: ReadonlyArray<readonly number[] | null>,
  dimensions: number,
  vectorOid: number,
): Buffer {
  const count = embeddings.length;
  const present = embeddings.filter((e) => e !== null).length;
  // An empty array has no dimensions (and so no size and lower bound).
  const words = wordBuffer(count === 0 ? 3 : 5 + (count - present) + present * (2 + dimensions));
  // ndim 1, null flag, element type, size, lower bound 1
  words.ints.set(
    count === 0 ? [0, 0, vectorOid] : [1, present < count ? 1 : 0, vectorOid, count, 1],
  );
  let at = 5;
  for (const embedding of embeddings) {
    if (embedding === null) {
      words.ints[at++] = -1;
      continue;
    }
    words.ints[at] = 4 + dimensions * 4;
    // pgvector's int16 dimensions then int16 unused: one big-endian word.
    words.ints[at + 1] = dimensions << 16;
    at += 2;
    for (let i = 0; i < dimensions; i++) words.floats[at++] = embedding[i] ?? Number.NaN;
  }
  return words.bigEndian();
}

/** Reads a packed array back: each element's floats, or null (tests, and a check on the layout). */
export function unpackVectors(array: Buffer): Array<number[] | null> {
  if (array.readInt32BE(0) === 0) return [];
  const vectors: Array<number[] | null> = [];
  let offset = HEADER;
  for (let n = array.readInt32BE(12); n > 0; n--) {
    const length = array.readInt32BE(offset);
    offset += 4;
    if (length === -1) {
      vectors.push(null);
      continue;
    }
    const dimensions = array.readInt16BE(offset);
    offset += 4;
    const values: number[] = [];
    for (let i = 0; i < dimensions; i++, offset += 4) values.push(array.readFloatBE(offset));
    vectors.push(values);
  }
  return vectors;
}
