/**
 * The built-in embedder: deterministic feature hashing, no model download.
 * Word unigrams, word bigrams and character trigrams are hashed into N
 * signed buckets with sublinear term-frequency weights, then L2-normalized.
 * Texts sharing words and word pieces score high cosine similarity; it knows
 * nothing of meaning (synonyms do not match). For tests, demos, offline work.
 */
import type { Embedder } from "./embedder.ts";

export const LOCAL_DIMENSIONS = 384;

const WORD = /[\p{L}\p{N}]+/gu;
const WEIGHTS = { unigram: 1, bigram: 0.6, trigram: 0.35 };

export function createLocalEmbedder(dimensions = LOCAL_DIMENSIONS): Embedder {
  return {
    name: `local-hashing-${dimensions}`,
    dimensions,
    embed: async (texts) => texts.map((text) => hashEmbed(text, dimensions)),
  };
}

/** The vector of one text; all zeros for text without words. */
export function hashEmbed(text: string, dimensions: number): number[] {
  const counts = new Map<string, { count: number; weight: number }>();
  const add = (feature: string, weight: number) => {
    const entry = counts.get(feature);
    if (entry === undefined) counts.set(feature, { count: 1, weight });
    else entry.count++;
  };
  const words = text.normalize("NFKC").toLowerCase().match(WORD) ?? [];
  words.forEach((word, i) => {
    add(`w:${word}`, WEIGHTS.unigram);
    if (i > 0) add(`b:${words[i - 1]} ${word}`, WEIGHTS.bigram);
    const padded = `#${word}#`;
    for (let j = 0; j + 3 <= padded.length; j++)
      add(`c:${padded.slice(j, j + 3)}`, WEIGHTS.trigram);
  });
  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, { count, weight }] of counts) {
    const hash = fnv1a(feature);
    const sign = Math.floor(hash / dimensions) % 2 === 0 ? 1 : -1;
    vector[hash % dimensions]! += sign * weight * (1 + Math.log(count));
  }
  return normalize(vector);
}

/** 32-bit FNV-1a over UTF-16 code units: fast, stable across platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

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
