/**
 * Every embedding of a batch as one float4[] in PostgreSQL's binary array
 * format (what array_send writes and array_recv reads). The `pg` client sends
 * a Buffer parameter as binary, so no float is printed by Node or parsed by
 * the server: formatting and parsing text floats was this sink's bound.
 */

/** OID of float4 (real), the element type array_recv checks against `$n::real[]`. */
const FLOAT4_OID = 700;
const HEADER = 20;

export interface PackedEmbeddings {
  /** One-dimensional float4[] of `count × dimensions` elements, in binary array format. */
  array: Buffer;
  /** Per input: its position in the packed array (0-based, in embeddings), or null for none. */
  slots: Array<number | null>;
}

/** Packs the non-null embeddings back to back; every one must have `dimensions` values. */
export function packEmbeddings(
  embeddings: ReadonlyArray<readonly number[] | null>,
  dimensions: number,
): PackedEmbeddings {
  const slots: Array<number | null> = [];
  let count = 0;
  for (const embedding of embeddings) slots.push(embedding === null ? null : count++);
  const elements = count * dimensions;
  // An empty array has no dimensions (and so no size and lower bound).
  const array = Buffer.allocUnsafe(elements === 0 ? 12 : HEADER + elements * 8);
  array.writeInt32BE(elements === 0 ? 0 : 1, 0); // dimensions of the array
  array.writeInt32BE(0, 4); // no nulls
  array.writeInt32BE(FLOAT4_OID, 8);
  if (elements > 0) {
    array.writeInt32BE(elements, 12);
    array.writeInt32BE(1, 16); // lower bound
  }
  // DataView: its big-endian stores compile to a few instructions, Buffer's
  // writeFloatBE does not.
  const view = new DataView(array.buffer, array.byteOffset, array.byteLength);
  let offset = HEADER;
  for (const embedding of embeddings) {
    if (embedding === null) continue;
    for (let i = 0; i < dimensions; i++) {
      view.setInt32(offset, 4);
      view.setFloat32(offset + 4, embedding[i] ?? Number.NaN);
      offset += 8;
    }
  }
  return { array, slots };
}

/** Reads a packed array back (tests, and a check on the layout). */
export function unpackEmbeddings(array: Buffer): number[] {
  const elements = array.readInt32BE(0) === 0 ? 0 : array.readInt32BE(12);
  const values: number[] = [];
  for (let i = 0; i < elements; i++) values.push(array.readFloatBE(HEADER + i * 8 + 4));
  return values;
}
