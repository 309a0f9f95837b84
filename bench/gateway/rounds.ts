/**
 * Rounds: every cell measured several times, targets alternating order from round to
 * round, so that a change in other load on a shared machine (or a target that warms up)
 * falls on every side of a ratio. The table keeps each target's median cell; the
 * production path's cost is the median of per-round ratios, each from cells measured
 * seconds apart.
 */
import { median } from "../shared/rounds.ts";
import type { Cell, CellOk } from "./cell.ts";

export interface RoundCell {
  round: number;
  cell: Cell;
}

/**
 * One cell per target and concurrency: the one with the median req/s (the lower
 * middle one for an even count), or the first failure when no round succeeded.
 */
export function medianCells(measured: readonly RoundCell[]): Cell[] {
  const groups = new Map<string, Cell[]>();
  for (const { cell } of measured) {
    const key = `${cell.target}\u0000${cell.concurrency}`;
    const group = groups.get(key) ?? [];
    group.push(cell);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const ok = group.filter((c): c is CellOk => c.status === "ok");
    if (ok.length === 0) return group[0] as Cell;
    ok.sort((a, b) => a.load.reqPerSec - b.load.reqPerSec);
    return ok[(ok.length - 1) >> 1] as CellOk;
  });
}

export interface PairRatio {
  concurrency: number;
  /** numerator req/s ÷ denominator req/s, one per round where both cells succeeded. */
  perRound: number[];
  median: number;
}

/** `numerator` over `denominator` at each concurrency, round by round. */
export function pairRatios(
  measured: readonly RoundCell[],
  numerator: string,
  denominator: string,
): PairRatio[] {
  const byConcurrency = new Map<number, Map<number, { num?: number; den?: number }>>();
  for (const { round, cell } of measured) {
    if (cell.status !== "ok") continue;
    if (cell.target !== numerator && cell.target !== denominator) continue;
    const rounds = byConcurrency.get(cell.concurrency) ?? new Map();
    const pair = rounds.get(round) ?? {};
    if (cell.target === numerator) pair.num = cell.load.reqPerSec;
    else pair.den = cell.load.reqPerSec;
    rounds.set(round, pair);
    byConcurrency.set(cell.concurrency, rounds);
  }
  return [...byConcurrency].map(([concurrency, rounds]) => {
    const perRound = [...rounds.values()]
      .filter((p) => p.num !== undefined && p.den !== undefined && p.den > 0)
      .map((p) => (p.num as number) / (p.den as number));
    return { concurrency, perRound, median: median(perRound) };
  });
}

export function renderPairRatios(label: string, ratios: readonly PairRatio[]): string {
  const lines = ratios.map(({ concurrency, perRound, median: m }) => {
    const rounds = perRound.map((r) => `${(r * 100).toFixed(0)}%`).join(" ");
    const mid = Number.isNaN(m) ? "-" : `${(m * 100).toFixed(0)}%`;
    return `  C=${String(concurrency).padEnd(4)} median ${mid.padStart(5)}   rounds: ${rounds}`;
  });
  return [`${label} (req/s ratio per round, cells measured seconds apart):`, ...lines].join("\n");
}
