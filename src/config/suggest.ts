/** The known key a misspelt one was probably meant to be, if any is close enough. */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const wanted = normalize(unknown);
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3));
  for (const candidate of known) {
    const distance = editDistance(wanted, normalize(candidate));
    if (distance === 0) return candidate;
    if (distance <= bestDistance) {
      best = candidate;
      bestDistance = distance - 1;
    }
  }
  return best;
}

/** `max_concurrency`, `MaxConcurrency` and `max-concurrency` all mean `maxConcurrency`. */
function normalize(key: string): string {
  return key.toLowerCase().replaceAll(/[_-]/g, "");
}

/** Levenshtein distance with a single rolling row. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length]!;
}
