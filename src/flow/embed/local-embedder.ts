/**
 * The built-in embedder: deterministic feature hashing, no model download.
 * Word unigrams, word bigrams and character trigrams are hashed into N
 * signed buckets with sublinear term-frequency weights, then L2-normalized.
 * Texts sharing words and word pieces score high cosine similarity; it knows
 * nothing of meaning (synonyms do not match). For tests, demos, offline work.
 */
import type { Embedder } from "./embedder.ts";

// Bump the "v1" in the name whenever the output changes: it is part of the content hash, so rows re-embed.

export const LOCAL_DIMENSIONS = 384;

const WORD = /[\p{L}\p{N}]+/gu;
const WEIGHTS = { unigram: 1, bigram: 0.6, trigram: 0.35 };

export function createLocalEmbedder(dimensions = LOCAL_DIMENSIONS): Embedder {
  return {
    name: `local-hashing-v1-${dimensions}`,
    dimensions,
    embed: async (texts) => texts.map((text) => hashEmbed(text, dimensions)),
  };
}

/** The vector of one text; all zeros for text without words. */
export function hashEmbed(text: string, dimensions: number): number[] {
  // Features are hashed incrementally (FNV is sequential), without building their strings.
  const counts = new Map<number, { count: number; weight: number }>();
  const add = (hash: number, weight: number) => {
    const entry = counts.get(hash);
    if (entry === undefined) counts.set(hash, { count: 1, weight });
    else entry.count++;
  };
  const words = text.normalize("NFKC").toLowerCase().match(WORD) ?? [];
  words.forEach((word, i) => {
    add(fnv(UNIGRAM, word, 0, word.length), WEIGHTS.unigram);
    if (i > 0) {
      const previous = words[i - 1]!;
      add(
        fnv(fnv(fnv(BIGRAM, previous, 0, previous.length), " ", 0, 1), word, 0, word.length),
        WEIGHTS.bigram,
      );
    }
    const padded = `#${word}#`;
    for (let j = 0; j + 3 <= padded.length; j++)
      add(fnv(TRIGRAM, padded, j, j + 3), WEIGHTS.trigram);
  });
  const vector = new Array<number>(dimensions).fill(0);
  for (const [hash, { count, weight }] of counts) {
    const sign = Math.floor(hash / dimensions) % 2 === 0 ? 1 : -1;
    vector[hash % dimensions]! += sign * weight * (1 + Math.log(count));
  }
  return normalize(vector);
}

/** 32-bit FNV-1a over UTF-16 code units of text[start, end), continuing from `hash`. */
function fnv(hash: number, text: string, start: number, end: number): number {
  let h = hash;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const BASIS = 0x811c9dc5;
const UNIGRAM = fnv(BASIS, "w:", 0, 2);
const BIGRAM = fnv(BASIS, "b:", 0, 2);
const TRIGRAM = fnv(BASIS, "c:", 0, 2);

function normalize(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return norm === 0 ? vector : vector.map((x) => x / norm);
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    na += a[i]! ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
