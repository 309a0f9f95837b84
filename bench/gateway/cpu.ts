/**
 * CPU accounting over a measured window: the target (and its tree), the load generator,
 * and everything else on the machine ("others": work that was not ours and that took
 * cores away from the measurement). Percentages are of one core.
 */
import { readTotals } from "./quiet.ts";
import { readCpuTicks, readTreeCpuTicks, ticksPerSecond } from "./rss.ts";

export interface CpuMark {
  target: number;
  tree: number;
  generator: number;
  self: number;
  machineBusy: number;
  at: number;
}

export interface CpuShares {
  /** The target process alone. */
  process: number;
  /** The target and its descendants. */
  tree: number;
  generator: number;
  /** All other processes on the machine (this orchestrator excluded). */
  others: number;
}

export function markCpu(targetPid: number, generatorPid: number): CpuMark {
  return {
    target: readCpuTicks(targetPid) ?? 0,
    tree: readTreeCpuTicks(targetPid),
    generator: readCpuTicks(generatorPid) ?? 0,
    self: readCpuTicks(process.pid) ?? 0,
    machineBusy: readTotals().busy,
    at: performance.now(),
  };
}

export function cpuBetween(from: CpuMark, to: CpuMark): CpuShares {
  const seconds = (to.at - from.at) / 1000;
  const percent = (ticks: number) => (ticks / ticksPerSecond() / seconds) * 100;
  const tree = to.tree - from.tree;
  const generator = to.generator - from.generator;
  const others = to.machineBusy - from.machineBusy - tree - generator - (to.self - from.self);
  return {
    process: percent(to.target - from.target),
    tree: percent(tree),
    generator: percent(generator),
    others: Math.max(0, percent(others)),
  };
}
