/** The main mode: every target at every concurrency, side by side in one table. */
import type { Options } from "./args.ts";
import { type Cell, type CellOk, measureCell } from "./cell.ts";
import { logTail } from "./procs.ts";
import { waitForQuiet } from "./quiet.ts";
import { type Context, type Running, startTarget, stopTarget, type TargetName } from "./targets.ts";

/** Lets closed sessions and their children go before the next cell. */
const SETTLE_MS = 1_000;

function describe(cell: Cell): string {
  const head = `${cell.target} C=${cell.concurrency}`;
  if (cell.status === "failed") return `${head}: failed: ${cell.reason}`;
  const { load } = cell;
  const errors = Object.values(load.errors).reduce((a, b) => a + b, 0) + load.initErrors;
  const latency = `p50 ${load.latency.p50Ms.toFixed(2)} ms, p99 ${load.latency.p99Ms.toFixed(2)} ms`;
  const memory = `RSS ${cell.rss.peakProcessMb.toFixed(0)} MB`;
  return `${head}: ${load.reqPerSec.toFixed(0)} req/s, ${latency}, ${errors} errors, ${memory}`;
}

/**
 * Measures a cell, again (up to `retries` times) if other processes took more than
 * `maxOthersPercent` of a core meanwhile; keeps the cleanest attempt.
 */
export async function measureClean(
  ctx: Context,
  running: Running,
  concurrency: number,
  options: Options,
): Promise<Cell> {
  const spec = {
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    initTimeoutMs: 90_000,
    callTimeoutMs: 15_000,
  };
  let best: CellOk | undefined;
  for (let attempt = 1; attempt <= options.retries + 1 && !ctx.stopped.aborted; attempt++) {
    const busy = await waitForQuiet(options.quietBelowPercent, options.quietWaitMs, ctx.stopped);
    if (busy >= options.quietBelowPercent)
      console.error(`machine still ${busy.toFixed(0)}% busy; measuring anyway`);
    const cell = await measureCell(ctx.node, running, concurrency, spec);
    console.error(describe(cell));
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    if (cell.status === "failed") return cell;
    cell.busyBeforePercent = busy;
    cell.attempts = attempt;
    if (best === undefined || cell.cpuPercent.others < best.cpuPercent.others) best = cell;
    const others = cell.cpuPercent.others;
    if (!(others > options.maxOthersPercent)) break;
    console.error(
      `other processes used ${others.toFixed(0)}% of a core meanwhile; measuring again`,
    );
  }
  if (best !== undefined) return best;
  return { status: "failed", target: running.name, concurrency, reason: "interrupted" };
}

async function measureTarget(
  ctx: Context,
  name: TargetName,
  options: Options,
  cells: Cell[],
): Promise<void> {
  const failAll = (reason: string) => {
    for (const concurrency of options.concurrency)
      cells.push({ status: "failed", target: name, concurrency, reason });
  };
  console.error(`starting ${name}`);
  let running: Running;
  try {
    running = await startTarget(ctx, name);
  } catch (error) {
    const reason = (error as Error).message;
    console.error(`target failed: ${name}: ${reason}`);
    return failAll(reason);
  }
  try {
    for (const concurrency of options.concurrency) {
      if (ctx.stopped.aborted) return;
      const gateway = running.processes[0];
      if (gateway?.exit !== undefined) {
        const reason = `${name} exited during the run:\n${logTail(gateway)}`;
        cells.push({ status: "failed", target: name, concurrency, reason });
        continue;
      }
      const cell = await measureClean(ctx, running, concurrency, options);
      cells.push(cell);
    }
  } finally {
    await stopTarget(running);
  }
}

function addRatios(cells: Cell[]): void {
  for (const cell of cells) {
    if (cell.status !== "ok") continue;
    const direct = cells.find((c) => c.target === "direct" && c.concurrency === cell.concurrency);
    if (direct?.status === "ok" && direct.load.reqPerSec > 0) {
      cell.ratioToDirect = cell.load.reqPerSec / direct.load.reqPerSec;
    }
  }
}

export async function runThroughput(ctx: Context, options: Options): Promise<Cell[]> {
  // direct first: it is the reference every other row is compared with.
  const order = [...options.targets].sort(
    (a, b) => Number(b === "direct") - Number(a === "direct"),
  );
  const cells: Cell[] = [];
  for (const name of order) {
    if (ctx.stopped.aborted) break;
    await measureTarget(ctx, name, options, cells);
  }
  addRatios(cells);
  return cells;
}
