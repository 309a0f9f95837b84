/**
 * The main mode: every target at every concurrency, side by side in one table. All
 * targets are started first and then measured cell by cell (every target at C = 1, then
 * every target at C = 16, …), so the cells a ratio compares are measured minutes apart
 * at most, not a whole target's run apart: a change in other load on a shared machine
 * falls on both sides of the ratio.
 */

import { roundOrder } from "../shared/rounds.ts";
import type { Options } from "./args.ts";
import type { Cell } from "./cell.ts";
import { measureClean } from "./measure.ts";
import { logTail } from "./procs.ts";
import { medianCells, type RoundCell } from "./rounds.ts";
import { type Context, type Running, startTarget, stopTarget, type TargetName } from "./targets.ts";

type Started = { name: TargetName; running: Running } | { name: TargetName; reason: string };

async function start(ctx: Context, name: TargetName): Promise<Started> {
  console.error(`starting ${name}`);
  try {
    return { name, running: await startTarget(ctx, name) };
  } catch (error) {
    const reason = (error as Error).message;
    console.error(`target failed: ${name}: ${reason}`);
    return { name, reason };
  }
}

async function measureOne(
  ctx: Context,
  target: Started,
  concurrency: number,
  options: Options,
): Promise<Cell> {
  const { name } = target;
  if ("reason" in target)
    return { status: "failed", target: name, concurrency, reason: target.reason };
  const gateway = target.running.processes[0];
  if (gateway?.exit !== undefined) {
    const reason = `${name} exited during the run:\n${logTail(gateway)}`;
    return { status: "failed", target: name, concurrency, reason };
  }
  return measureClean(ctx, target.running, concurrency, options);
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

export interface Throughput {
  /** One per target and concurrency (the median round's when there are several rounds). */
  cells: Cell[];
  /** Every measurement, with its round. */
  measured: RoundCell[];
}

export async function runThroughput(ctx: Context, options: Options): Promise<Throughput> {
  // direct first: it is the reference every other row is compared with.
  const order = [...options.targets].sort(
    (a, b) => Number(b === "direct") - Number(a === "direct"),
  );
  const started: Started[] = [];
  const measured: RoundCell[] = [];
  try {
    for (const name of order) {
      if (ctx.stopped.aborted) break;
      started.push(await start(ctx, name));
    }
    for (const concurrency of options.concurrency)
      for (let round = 1; round <= options.rounds; round++)
        for (const target of roundOrder(started, round)) {
          if (ctx.stopped.aborted) break;
          if (options.rounds > 1) console.error(`round ${round}/${options.rounds}`);
          measured.push({ round, cell: await measureOne(ctx, target, concurrency, options) });
        }
  } finally {
    for (const target of started) if ("running" in target) await stopTarget(target.running);
  }
  const cells = medianCells(measured);
  // Rows grouped by target, as before.
  cells.sort(
    (a, b) => order.indexOf(a.target as TargetName) - order.indexOf(b.target as TargetName),
  );
  addRatios(cells);
  return { cells, measured };
}
