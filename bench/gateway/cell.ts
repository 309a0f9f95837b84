/**
 * One measurement: a target at one concurrency. The load runs in a forked process; this
 * process samples the target's RSS meanwhile and its CPU over the measured window.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { type CpuMark, type CpuShares, cpuBetween, markCpu } from "./cpu.ts";
import type { LoadMessage, LoadResult, LoadSpec } from "./load-types.ts";
import { adopt, stopProcess } from "./procs.ts";
import { type PeakRss, startRssSampler } from "./rss.ts";
import type { Running } from "./targets.ts";

export interface CellOk {
  status: "ok";
  target: string;
  concurrency: number;
  load: LoadResult;
  rss: PeakRss;
  /** CPU over the measured window, percent of one core. */
  cpuPercent: CpuShares;
  /** 1-minute load average when the cell started: a busy machine shows here. */
  loadavg1: number;
  /** Percent of all cores busy during the second before the cell (others' work shows here). */
  busyBeforePercent: number | undefined;
  /** Measurements made of this cell, and which one is kept (the least CPU taken by others). */
  attempts: number;
  attempt: number;
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

function runLoad(
  node: string,
  spec: LoadSpec,
  onPhase: (phase: "measure" | "end", generatorPid: number) => void,
): Promise<LoadResult> {
  const child = fork(LOAD_SCRIPT, [], {
    serialization: "advanced",
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
      if (message.type === "measure" || message.type === "end") onPhase(message.type, managed.pid);
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
  const companions = running.processes.map((each) => each.pid).filter((pid) => pid !== running.pid);
  const sampler = startRssSampler(running.pid, companions);
  let measureMark: CpuMark | undefined;
  let endMark: CpuMark | undefined;
  try {
    const load = await runLoad(
      node,
      {
        ...spec,
        url: running.url,
        tool: running.tool,
        concurrency,
        ...(running.headers ? { headers: running.headers } : {}),
      },
      (phase, generatorPid) => {
        if (phase === "measure") measureMark = markCpu(running.pid, companions, generatorPid);
        else endMark = markCpu(running.pid, companions, generatorPid);
      },
    );
    const rss = sampler.stop();
    const none = {
      process: Number.NaN,
      tree: Number.NaN,
      generator: Number.NaN,
      self: Number.NaN,
      others: Number.NaN,
    };
    const cpuPercent = measureMark && endMark ? cpuBetween(measureMark, endMark) : none;
    return {
      status: "ok",
      ...base,
      load,
      rss,
      cpuPercent,
      loadavg1,
      busyBeforePercent: undefined,
      attempts: 1,
      attempt: 1,
      ratioToDirect: undefined,
    };
  } catch (error) {
    sampler.stop();
    return { status: "failed", ...base, reason: (error as Error).message };
  }
}
