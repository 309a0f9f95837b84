/**
 * How busy the machine is, from /proc/stat. The benchmark shares its cores with whatever
 * else runs; before each cell it waits (bounded) for the machine to be quiet, and records
 * how busy it was, so a number measured beside someone else's compile can be recognized.
 */
import { readFileSync } from "node:fs";

export interface CpuTotals {
  busy: number;
  total: number;
}

export function readTotals(): CpuTotals {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** Percent of all cores busy over the next `ms` milliseconds. */
export async function busyPercent(ms = 1_000): Promise<number> {
  const before = readTotals();
  await new Promise((r) => setTimeout(r, ms));
  const after = readTotals();
  const total = after.total - before.total;
  return total <= 0 ? 0 : ((after.busy - before.busy) / total) * 100;
}

/**
 * Waits until the machine is under `thresholdPercent` busy for one second, or `maxWaitMs`
 * has passed; returns the last reading either way.
 */
export async function waitForQuiet(
  thresholdPercent: number,
  maxWaitMs: number,
  stopped: AbortSignal,
): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  let busy = await busyPercent();
  while (busy >= thresholdPercent && Date.now() < deadline && !stopped.aborted)
    busy = await busyPercent();
  return busy;
}
