/**
 * Reads memory and CPU of a process and its descendants from /proc (Linux only), and
 * samples peak RSS while a cell runs. "Process" is the target's own pid; "tree" adds
 * every descendant alive at the moment of the sample (stdio upstreams, per-session
 * children).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const MAX_TREE = 10_000;
const TREE_REFRESH = 5;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined; // The process exited between listing and reading.
  }
}

export function readRssKb(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? "");
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces. */
function statFields(pid: number): string[] | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** utime + stime in clock ticks. */
export function readCpuTicks(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[11]) + Number(fields[12]);
}

/** Start time in ticks since boot: with the pid, it names one process even if pids are reused. */
export function readStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

export function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const task of tasks) {
    const list = read(`/proc/${pid}/task/${task}/children`) ?? "";
    for (const child of list.split(" ")) if (child !== "") children.push(Number(child));
  }
  return children;
}

export function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = childrenOf(pid);
  while (queue.length > 0 && found.length < MAX_TREE) {
    const next = queue.shift() as number;
    found.push(next);
    queue.push(...childrenOf(next));
  }
  return found;
}

/**
 * Everything that serves one target besides its main process: its descendants, plus
 * companion processes the harness started for it (the HTTP upstream behind sophia-http)
 * and theirs.
 */
export function familyOf(pid: number, companions: number[]): number[] {
  return [...descendantsOf(pid), ...companions.flatMap((each) => [each, ...descendantsOf(each)])];
}

export interface TreeReading {
  processKb: number;
  treeKb: number;
  processes: number;
}

export function readTree(pid: number, descendants = descendantsOf(pid)): TreeReading | undefined {
  const processKb = readRssKb(pid);
  if (processKb === undefined) return undefined;
  let treeKb = processKb;
  let processes = 1;
  for (const child of descendants) {
    const kb = readRssKb(child);
    if (kb === undefined) continue;
    treeKb += kb;
    processes++;
  }
  return { processKb, treeKb, processes };
}

/** CPU ticks of the process and each descendant, keyed by pid and start time. */
export function readTreeCpu(pid: number, companions: number[] = []): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const each of [pid, ...familyOf(pid, companions)]) {
    const fields = statFields(each);
    if (fields !== undefined)
      ticks.set(`${each}@${fields[19]}`, Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

let clockTicks: number | undefined;
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const text = execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8", timeout: 5_000 });
    clockTicks = Number(text.trim()) || 100;
  }
  return clockTicks;
}

export interface PeakRss {
  peakProcessMb: number;
  peakTreeMb: number;
  /** Most processes in the tree at one sample. */
  peakProcesses: number;
  samples: number;
}

export interface RssSampler {
  stop(): PeakRss;
}

/**
 * Samples every `intervalMs`; the list of descendants (the costly part: one file per
 * thread) is refreshed every `TREE_REFRESH` samples, so sampling a target with a hundred
 * children does not take CPU away from it.
 */
export function startRssSampler(
  pid: number,
  companions: number[] = [],
  intervalMs = 100,
): RssSampler {
  const peak = { processKb: 0, treeKb: 0, processes: 0, samples: 0 };
  let descendants: number[] = [];
  const sample = (): void => {
    if (peak.samples % TREE_REFRESH === 0) descendants = familyOf(pid, companions);
    const reading = readTree(pid, descendants);
    if (reading === undefined) return;
    peak.processKb = Math.max(peak.processKb, reading.processKb);
    peak.treeKb = Math.max(peak.treeKb, reading.treeKb);
    peak.processes = Math.max(peak.processes, reading.processes);
    peak.samples++;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop(): PeakRss {
      clearInterval(timer);
      sample();
      return {
        peakProcessMb: peak.processKb / 1024,
        peakTreeMb: peak.treeKb / 1024,
        peakProcesses: peak.processes,
        samples: peak.samples,
      };
    },
  };
}
