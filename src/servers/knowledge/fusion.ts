/** Reciprocal rank fusion: merges ranked lists by Σ 1 / (k + rank), rank counted from 1. */

export interface Ranked<T> {
  id: string;
  item: T;
}

export interface Fused<T> {
  id: string;
  item: T;
  score: number;
}

export function reciprocalRankFusion<T>(lists: readonly Ranked<T>[][], k: number): Fused<T>[] {
  const fused = new Map<string, Fused<T>>();
  for (const list of lists) {
    list.forEach((entry, index) => {
      const gain = 1 / (k + index + 1);
      const seen = fused.get(entry.id);
      if (seen === undefined) fused.set(entry.id, { id: entry.id, item: entry.item, score: gain });
      else seen.score += gain;
    });
  }
  // Ties keep first-seen order (sort is stable), so the first list breaks them.
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
