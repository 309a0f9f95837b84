/**
 * Repeating measurements on a shared machine: alternate the order of what is
 * compared from round to round, and report medians, so that a drift in other
 * load falls on every side of a ratio.
 */

/** Round 1 in the given order, round 2 reversed, and so on. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  return round % 2 === 1 ? [...items] : [...items].reverse();
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
