/** Cuts `bytes` into chunks at the given offsets (taken modulo its length + 1, sorted, deduplicated). */
export function cutAt<T extends Uint8Array>(bytes: T, offsets: readonly number[]): T[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: T[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point) as T);
    from = point;
  }
  chunks.push(bytes.subarray(from) as T);
  return chunks;
}
