/**
 * Measuring a cell on a shared machine: wait for quiet, measure, and measure again when
 * other processes took cores away meanwhile.
 */
import type { Options } from "./args.ts";
import { type Cell, type CellOk, measureCell } from "./cell.ts";
import { waitForQuiet } from "./quiet.ts";
import type { Context, Running } from "./targets.ts";

/** Lets closed sessions and their children go before the next cell. */
const SETTLE_MS = 1_000;

export function describe(cell: Cell): string {
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
  let made = 0;
  for (let attempt = 1; attempt <= options.retries + 1 && !ctx.stopped.aborted; attempt++) {
    made = attempt;
    const busy = await waitForQuiet(options.quietBelowPercent, options.quietWaitMs, ctx.stopped);
    if (busy >= options.quietBelowPercent)
      console.error(`machine still ${busy.toFixed(0)}% busy; measuring anyway`);
    const cell = await measureCell(ctx.node, running, concurrency, spec);
    console.error(describe(cell));
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    if (cell.status === "failed") return cell;
    cell.busyBeforePercent = busy;
    cell.attempt = attempt;
    if (best === undefined || cell.cpuPercent.others < best.cpuPercent.others) best = cell;
    const others = cell.cpuPercent.others;
    if (!(others > options.maxOthersPercent)) break;
    console.error(
      `other processes used ${others.toFixed(0)}% of a core meanwhile; measuring again`,
    );
  }
  if (best !== undefined) {
    best.attempts = made;
    return best;
  }
  return { status: "failed", target: running.name, concurrency, reason: "interrupted" };
}
