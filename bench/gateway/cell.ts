/**
 * One measurement: a target at one concurrency. The load runs in a forked process; this
 * process samples the target's RSS meanwhile and its CPU over the measured window.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type { LoadMessage, LoadResult, LoadSpec } from "./load-types.ts";
import { adopt, stopProcess } from "./procs.ts";
import {
  type PeakRss,
  readCpuTicks,
  readTreeCpuTicks,
  startRssSampler,
  ticksPerSecond,
} from "./rss.ts";
import type { Running } from "./targets.ts";

export interface CellOk {
  status: "ok";
  target: string;
  concurrency: number;
  load: LoadResult;
  rss: PeakRss;
  /** CPU of the target over the measured window, percent of one core. */
  cpuPercent: { process: number; tree: number };
  /** 1-minute load average when the cell started: a busy machine shows here. */
  loadavg1: number;
  /** req/s divided by direct's req/s at the same concurrency. */
  ratioToDirect: number | undefined;
}

export interface CellFailed {
  status: "failed";
  target: string;
  concurrency: number;
  reason: string;
}

export type Cell = CellOk | CellFailed;

export type CellSpec = Omit<LoadSpec, "url" | "tool" | "concurrency">;

const LOAD_SCRIPT = fileURLToPath(new URL("./load.ts", import.meta.url));

interface CpuMark {
  process: number;
  tree: number;
  at: number;
}

function markCpu(pid: number): CpuMark {
  return { process: readCpuTicks(pid) ?? 0, tree: readTreeCpuTicks(pid), at: performance.now() };
}

function runLoad(
  node: string,
  spec: LoadSpec,
  onPhase: (phase: "measure" | "end") => void,
): Promise<LoadResult> {
  const child = fork(LOAD_SCRIPT, [], {
    execPath: node,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const managed = adopt("load", child);
  const budgetMs = spec.initTimeoutMs + spec.warmupMs + spec.durationMs + 30_000;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<LoadResult>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`load generator still running after ${budgetMs} ms`)),
      budgetMs,
    );
    child.on("message", (message: LoadMessage) => {
      if (message.type === "measure" || message.type === "end") onPhase(message.type);
      else if (message.type === "result") resolve(message.result);
      else reject(new Error(`load generator: ${message.message}`));
    });
    child.on("exit", (code, signal) =>
      reject(new Error(`load generator exited (code ${code}, signal ${signal})`)),
    );
    child.send(spec);
  }).finally(async () => {
    clearTimeout(timer);
    // The generator exits by itself after its result; stopping it covers every other way out.
    if (managed.exit === undefined) {
      await Promise.race([once(child, "exit"), new Promise((r) => setTimeout(r, 1_000))]);
    }
    if (managed.exit === undefined) await stopProcess(managed, 2_000);
  });
}

export async function measureCell(
  node: string,
  running: Running,
  concurrency: number,
  spec: CellSpec,
): Promise<Cell> {
  const base = { target: running.name, concurrency };
  const loadavg1 = loadavg()[0] ?? 0;
  const sampler = startRssSampler(running.pid);
  let measureMark: CpuMark | undefined;
  let endMark: CpuMark | undefined;
  try {
    const load = await runLoad(
      node,
      { ...spec, url: running.url, tool: running.tool, concurrency },
      (phase) => {
        if (phase === "measure") measureMark = markCpu(running.pid);
        else endMark = markCpu(running.pid);
      },
    );
    const rss = sampler.stop();
    const cpuPercent = { process: Number.NaN, tree: Number.NaN };
    if (measureMark !== undefined && endMark !== undefined) {
      const seconds = (endMark.at - measureMark.at) / 1000;
      const percent = (ticks: number) => (ticks / ticksPerSecond() / seconds) * 100;
      cpuPercent.process = percent(endMark.process - measureMark.process);
      cpuPercent.tree = percent(endMark.tree - measureMark.tree);
    }
    return { status: "ok", ...base, load, rss, cpuPercent, loadavg1, ratioToDirect: undefined };
  } catch (error) {
    sampler.stop();
    return { status: "failed", ...base, reason: (error as Error).message };
  }
}
