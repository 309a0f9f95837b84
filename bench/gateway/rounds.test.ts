import assert from "node:assert/strict";
import { test } from "node:test";
import type { Cell } from "./cell.ts";
import { medianCells, pairRatios } from "./rounds.ts";

function ok(target: string, concurrency: number, reqPerSec: number): Cell {
  return {
    status: "ok",
    target,
    concurrency,
    load: { reqPerSec } as never,
    rss: {} as never,
    cpuPercent: {} as never,
    loadavg1: 0,
    busyBeforePercent: 0,
    attempts: 1,
    attempt: 1,
    ratioToDirect: undefined,
  };
}

test("medianCells keeps the median cell of each target and concurrency", () => {
  const cells = medianCells([
    { round: 1, cell: ok("a", 16, 100) },
    { round: 2, cell: ok("a", 16, 300) },
    { round: 3, cell: ok("a", 16, 200) },
    { round: 1, cell: ok("a", 64, 50) },
    { round: 1, cell: { status: "failed", target: "b", concurrency: 16, reason: "x" } },
  ]);
  const rate = (c: Cell) => (c.status === "ok" ? c.load.reqPerSec : -1);
  assert.deepEqual(
    cells.map((c) => [c.target, c.concurrency, rate(c)]),
    [
      ["a", 16, 200],
      ["a", 64, 50],
      ["b", 16, -1],
    ],
  );
});

test("pairRatios pairs cells of the same round only", () => {
  const [ratio] = pairRatios(
    [
      { round: 1, cell: ok("prod", 64, 90) },
      { round: 1, cell: ok("core", 64, 100) },
      { round: 2, cell: ok("prod", 64, 60) },
      { round: 2, cell: ok("core", 64, 50) },
      { round: 3, cell: ok("prod", 64, 70) }, // no core cell in round 3: not paired
    ],
    "prod",
    "core",
  );
  assert.equal(ratio?.concurrency, 64);
  assert.deepEqual(ratio?.perRound, [0.9, 1.2]);
  assert.ok(Math.abs((ratio?.median ?? 0) - 1.05) < 1e-9);
});
