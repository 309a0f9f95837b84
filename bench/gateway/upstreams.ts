/**
 * The `--rss-upstreams N` mode: Sophia in front of N stdio echo upstreams (N processes).
 * Reports the gateway process's own RSS (children excluded) once all are ready and idle,
 * and during and after 64-session load on one of them.
 */
import { readFileSync } from "node:fs";
import type { Options } from "./args.ts";
import type { CellOk } from "./cell.ts";
import { measureClean } from "./measure.ts";
import { waitForStatus } from "./probe.ts";
import { stopProcess } from "./procs.ts";
import { descendantsOf, readRssKb, startRssSampler } from "./rss.ts";
import { type Context, type Running, startSophia, stdioEchoArgs } from "./targets.ts";

const READY_TIMEOUT_MS = 120_000;
const IDLE_SETTLE_MS = 2_000;
const LOAD_CONCURRENCY = 64;

function upstreamPids(ctx: Context, gatewayPid: number): number[] {
  return descendantsOf(gatewayPid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(ctx.runTag);
    } catch {
      return false;
    }
  });
}

function mb(kb: number | undefined): number {
  return kb === undefined ? Number.NaN : kb / 1024;
}

async function waitForUpstreams(ctx: Context, gatewayPid: number, count: number): Promise<number> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = upstreamPids(ctx, gatewayPid).length;
    if (seen >= count) return seen;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `only ${seen} of ${count} upstream processes appeared within ${READY_TIMEOUT_MS} ms`,
  );
}

export async function runUpstreams(
  ctx: Context,
  options: Options,
  count: number,
): Promise<Record<string, unknown>> {
  const width = String(count).length;
  const names = Array.from(
    { length: count },
    (_, i) => `echo${String(i + 1).padStart(width, "0")}`,
  );
  const servers = Object.fromEntries(
    names.map((name) => [name, { command: ctx.node, args: stdioEchoArgs(ctx) }]),
  );
  const tool = `${names[0]}__echo`;
  console.error(`starting Sophia with ${count} stdio upstreams`);
  const { managed, url, port } = await startSophia(
    ctx,
    "sophia-upstreams",
    servers,
    tool,
    READY_TIMEOUT_MS,
  );
  try {
    await waitForStatus(managed, `http://127.0.0.1:${port}/readyz`, 200, READY_TIMEOUT_MS);
    const upstreams = await waitForUpstreams(ctx, managed.pid, count);
    await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
    const idleSampler = startRssSampler(managed.pid);
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = idleSampler.stop();
    const idleGatewayMb = mb(readRssKb(managed.pid));

    const running: Running = {
      name: "sophia-upstreams",
      url,
      tool,
      pid: managed.pid,
      processes: [managed],
    };
    const cell = await measureClean(ctx, running, LOAD_CONCURRENCY, options);
    if (cell.status === "failed") throw new Error(`load on ${tool} failed: ${cell.reason}`);
    await new Promise((r) => setTimeout(r, 1_000));
    const afterGatewayMb = mb(readRssKb(managed.pid));
    return {
      upstreams: count,
      upstreamProcesses: upstreams,
      tool,
      idle: {
        gatewayMb: idleGatewayMb,
        peakGatewayMb: idle.peakProcessMb,
        treeMb: idle.peakTreeMb,
      },
      load: summarizeLoad(cell),
      afterLoad: { gatewayMb: afterGatewayMb },
    };
  } finally {
    await stopProcess(managed, 5_000);
  }
}

function summarizeLoad(cell: CellOk): Record<string, unknown> {
  return {
    concurrency: cell.concurrency,
    peakGatewayMb: cell.rss.peakProcessMb,
    peakTreeMb: cell.rss.peakTreeMb,
    reqPerSec: cell.load.reqPerSec,
    p50Ms: cell.load.latency.p50Ms,
    p99Ms: cell.load.latency.p99Ms,
    errors: Object.values(cell.load.errors).reduce((a, b) => a + b, 0) + cell.load.initErrors,
    othersCpuPercent: cell.cpuPercent.others,
    cell,
  };
}

export function renderUpstreams(report: Record<string, unknown>): string {
  const idle = report.idle as { gatewayMb: number; treeMb: number };
  const load = report.load as {
    peakGatewayMb: number;
    reqPerSec: number;
    p50Ms: number;
    p99Ms: number;
    errors: number;
    othersCpuPercent: number;
  };
  const after = report.afterLoad as { gatewayMb: number };
  return [
    `Sophia with ${report.upstreams} stdio echo upstreams (${report.upstreamProcesses} processes seen)`,
    `  gateway RSS idle:             ${idle.gatewayMb.toFixed(0)} MB (gateway + upstreams: ${idle.treeMb.toFixed(0)} MB)`,
    `  gateway RSS peak, 64 sessions on ${report.tool}: ${load.peakGatewayMb.toFixed(0)} MB`,
    `  gateway RSS after the load:   ${after.gatewayMb.toFixed(0)} MB`,
    `  load: ${load.reqPerSec.toFixed(0)} req/s, p50 ${load.p50Ms.toFixed(2)} ms, p99 ${load.p99Ms.toFixed(2)} ms, ${load.errors} errors, others used ${load.othersCpuPercent.toFixed(0)}% of a core`,
  ].join("\n");
}
