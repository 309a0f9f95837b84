/**
 * A buffer of 32-bit words written as native ints and floats, then turned
 * big-endian in one native pass (Buffer#swap32). PostgreSQL's binary formats
 * are big-endian words; typed-array stores plus one swap are several times
 * faster than a DataView or Buffer store per value.
 */
import { endianness } from "node:os";

export interface WordBuffer {
  ints: Int32Array;
  floats: Float32Array;
  /** The bytes in network order (the words are not to be used after). */
  bigEndian(): Buffer;
}

const LITTLE = endianness() === "LE";

export function wordBuffer(words: number): WordBuffer {
  // Its own ArrayBuffer: aligned for the typed views, never a slice of Node's pool.
  const memory = new ArrayBuffer(words * 4);
  const bytes = Buffer.from(memory);
  return {
    ints: new Int32Array(memory),
    floats: new Float32Array(memory),
    bigEndian: () => (LITTLE ? bytes.swap32() : bytes),
  };
}
