/** The main mode: every target at every concurrency, side by side in one table. */
import type { Options } from "./args.ts";
import type { Cell } from "./cell.ts";
import { measureClean } from "./measure.ts";
import { logTail } from "./procs.ts";
import { type Context, type Running, startTarget, stopTarget, type TargetName } from "./targets.ts";

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
