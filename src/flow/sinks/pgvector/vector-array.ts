/**
 * Every embedding of a batch as one vector[] in PostgreSQL's binary array
 * format, each element in pgvector's binary form (what vector_send writes:
 * int16 dimensions, int16 unused, then the float4s). The server reads a
 * vector with one call instead of one call per float, and the message is half
 * the size of a float4[] (no length word per float).
 */

const HEADER = 20;

/** One element per input, null where an input has no embedding; each has `dimensions` values. */
export function packVectors(
  embeddings: ReadonlyArray<readonly number[] | null>,
  dimensions: number,
  vectorOid: number,
): Buffer {
  const count = embeddings.length;
  const present = embeddings.filter((e) => e !== null).length;
  const size = HEADER + (count - present) * 4 + present * (8 + dimensions * 4);
  const array = Buffer.allocUnsafe(count === 0 ? 12 : size);
  const view = new DataView(array.buffer, array.byteOffset, array.byteLength);
  view.setInt32(0, count === 0 ? 0 : 1); // dimensions of the array
  view.setInt32(4, present < count ? 1 : 0); // has nulls
  view.setInt32(8, vectorOid);
  if (count === 0) return array;
  view.setInt32(12, count);
  view.setInt32(16, 1); // lower bound
  let offset = HEADER;
  for (const embedding of embeddings) {
    if (embedding === null) {
      view.setInt32(offset, -1);
      offset += 4;
      continue;
    }
    view.setInt32(offset, 4 + dimensions * 4);
    view.setInt16(offset + 4, dimensions);
    view.setInt16(offset + 6, 0);
    offset += 8;
    for (let i = 0; i < dimensions; i++, offset += 4) {
      view.setFloat32(offset, embedding[i] ?? Number.NaN);
    }
  }
  return array;
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
