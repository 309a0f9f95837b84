/**
 * CPU accounting over a measured window: the target (and its tree), the load generator,
 * and everything else on the machine ("others": work that was not ours and that took
 * cores away from the measurement). Percentages are of one core.
 */
import { readTotals } from "./quiet.ts";
import { readCpuTicks, readTreeCpu, ticksPerSecond } from "./rss.ts";

export interface CpuMark {
  target: number;
  tree: Map<string, number>;
  generator: number;
  self: number;
  machineBusy: number;
  at: number;
}

export interface CpuShares {
  /** The target process alone. */
  process: number;
  /** The target, its descendants and its companion processes (see familyOf). */
  tree: number;
  generator: number;
  /** This orchestrator (mostly RSS sampling). */
  self: number;
  /** All other processes on the machine (this orchestrator excluded). */
  others: number;
}

export function markCpu(targetPid: number, companions: number[], generatorPid: number): CpuMark {
  return {
    target: readCpuTicks(targetPid) ?? 0,
    tree: readTreeCpu(targetPid, companions),
    generator: readCpuTicks(generatorPid) ?? 0,
    self: readCpuTicks(process.pid) ?? 0,
    machineBusy: readTotals().busy,
    at: performance.now(),
  };
}

/**
 * Ticks the tree used in the window: processes alive at the end count from their start
 * mark (or from zero if born meanwhile); those that died meanwhile cannot be read and are
 * left out, so this is a lower bound when a target's children come and go.
 */
function treeTicks(from: Map<string, number>, to: Map<string, number>): number {
  let ticks = 0;
  for (const [key, end] of to) ticks += end - (from.get(key) ?? 0);
  return ticks;
}

export function cpuBetween(from: CpuMark, to: CpuMark): CpuShares {
  const seconds = (to.at - from.at) / 1000;
  const percent = (ticks: number) => (ticks / ticksPerSecond() / seconds) * 100;
  const tree = treeTicks(from.tree, to.tree);
  const generator = to.generator - from.generator;
  const self = to.self - from.self;
  const others = to.machineBusy - from.machineBusy - tree - generator - self;
  return {
    process: percent(to.target - from.target),
    tree: percent(tree),
    generator: percent(generator),
    self: percent(self),
    others: Math.max(0, percent(others)),
  };
}
