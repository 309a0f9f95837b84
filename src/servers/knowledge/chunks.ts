/** Joining a document's chunks back into its text, without the overlap chunking repeats. */

/** Longest suffix of `left` that is a prefix of `right`, up to `max` characters. */
function overlapLength(left: string, right: string, max: number): number {
  const limit = Math.min(max, left.length, right.length);
  for (let length = limit; length > 0; length--) {
    if (left.endsWith(right.slice(0, length))) return length;
  }
  return 0;
}

/**
 * Chunks in order, each shared start with the previous chunk's end dropped.
 * Overlaps shorter than `minOverlap` are taken as chance and kept (then the
 * chunks are separated by a newline). Text that repeats itself across the
 * seam can lose a repetition: the longest match wins.
 */
export function joinChunks(chunks: readonly string[], maxOverlap = 2000, minOverlap = 8): string {
  let text = "";
  for (const chunk of chunks) {
    if (text === "") {
      text = chunk;
      continue;
    }
    const shared = overlapLength(text, chunk, maxOverlap);
    text += shared >= minOverlap ? chunk.slice(shared) : `\n${chunk}`;
  }
  return text;
}
