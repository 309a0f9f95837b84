/**
 * Every embedding of a batch as one float4[] in PostgreSQL's binary array
 * format (what array_send writes and array_recv reads). The `pg` client sends
 * a Buffer parameter as binary, so no float is printed by Node or parsed by
 * the server: formatting and parsing text floats was this sink's bound.
 */
import { wordBuffer } from "./words.ts";

/** OID of float4 (real), the element type array_recv checks against `$n::real[]`. */
const FLOAT4_OID = 700;
const HEADER_WORDS = 5;

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
  const words = wordBuffer(elements === 0 ? 3 : HEADER_WORDS + elements * 2);
  words.ints.set(elements === 0 ? [0, 0, FLOAT4_OID] : [1, 0, FLOAT4_OID, elements, 1]);
  let at = HEADER_WORDS;
  for (const embedding of embeddings) {
    if (embedding === null) continue;
    for (let i = 0; i < dimensions; i++, at += 2) {
      words.ints[at] = 4; // each element: its length, then the float
      words.floats[at + 1] = embedding[i] ?? Number.NaN;
    }
  }
  return { array: words.bigEndian(), slots };
}

/** Reads a packed array back (tests, and a check on the layout). */
export function unpackEmbeddings(array: Buffer): number[] {
  const elements = array.readInt32BE(0) === 0 ? 0 : array.readInt32BE(12);
  const values: number[] = [];
  for (let i = 0; i < elements; i++) values.push(array.readFloatBE(20 + i * 8 + 4));
  return values;
}
