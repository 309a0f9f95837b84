/**
 * Splits text into chunks of at most `size` characters (pure, deterministic).
 * A chunk ends at the last paragraph break in the second half of its window,
 * else the last sentence end, else the last space, else at `size`. The next
 * chunk starts about `overlap` characters earlier, at a word start.
 */
export interface ChunkOptions {
  size: number;
  overlap: number;
}

export interface TextRange {
  start: number;
  end: number;
}

export function chunkText(text: string, options: ChunkOptions): string[] {
  return chunkRanges(text, options).map((r) => text.slice(r.start, r.end));
}

export function chunkRanges(text: string, { size, overlap }: ChunkOptions): TextRange[] {
  const ranges: TextRange[] = [];
  let start = skipSpace(text, 0);
  while (start < text.length) {
    if (text.length - start <= size) {
      ranges.push({ start, end: trimEnd(text, start, text.length) });
      break;
    }
    const end = findBreak(text, start, start + size, Math.floor(size / 2));
    ranges.push({ start, end: trimEnd(text, start, end) });
    start = skipSpace(text, Math.max(nextStart(text, end, overlap), start + 1));
  }
  return ranges.filter((r) => r.end > r.start);
}

const SENTENCE_END = /[.!?;:\n]/;
const SPACE = /\s/;

function findBreak(text: string, start: number, limit: number, half: number): number {
  const from = start + half;
  const paragraph = text.lastIndexOf("\n\n", limit - 2);
  if (paragraph >= from) return paragraph + 2;
  for (let i = limit - 1; i >= from; i--)
    if (SENTENCE_END.test(text[i]!) && SPACE.test(text[i + 1] ?? " ")) return i + 1;
  for (let i = limit; i > from; i--) if (SPACE.test(text[i]!)) return i;
  return limit;
}

/** About `overlap` characters back from `end`, moved forward to the start of a word. */
function nextStart(text: string, end: number, overlap: number): number {
  if (overlap <= 0) return end;
  let at = end - overlap;
  if (at > 0 && !SPACE.test(text[at - 1]!)) {
    while (at < end && !SPACE.test(text[at]!)) at++;
  }
  return at;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && SPACE.test(text[at]!)) at++;
  return at;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && SPACE.test(text[end - 1]!)) end--;
  return end;
}
