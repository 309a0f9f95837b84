import assert from "node:assert/strict";
import { test } from "node:test";
import { formatProgress, progressPrinter } from "./progress.ts";

const base = { table: "public.t", estimatedRows: 20_000, resumedAt: 0, done: false };

test("percentage, rate and ETA come from the estimate and the elapsed time", () => {
  const line = formatProgress({ ...base, rowsDone: 5000, elapsedMs: 2000 });
  assert.match(line, /^public\.t \[#####-+\] 25% 5,000\/~20,000 rows · 2,500 rows\/s · ETA 0:06$/);
});

test("a resumed run counts its rate from where it resumed; without an estimate no percentage", () => {
  const resumed = formatProgress({ ...base, rowsDone: 11_000, resumedAt: 10_000, elapsedMs: 1000 });
  assert.match(resumed, /1,000 rows\/s · ETA 0:09 \(resumed at 10,000\)$/);
  const unknown = formatProgress({ ...base, estimatedRows: -1, rowsDone: 300, elapsedMs: 1000 });
  assert.equal(unknown, "public.t 300 rows · 300 rows/s");
});

test("more rows than estimated never passes 100%", () => {
  const line = formatProgress({ ...base, estimatedRows: 100, rowsDone: 150, elapsedMs: 1000 });
  assert.match(line, / 100% 150\/~150 rows/);
});

test("not a terminal: a plain line at most every 5 s, and always the last one", () => {
  let clock = 0;
  const written: string[] = [];
  const print = progressPrinter({ write: (t) => written.push(t), tty: false, now: () => clock });
  for (let i = 1; i <= 12; i++) {
    clock = i * 1000;
    print({ ...base, rowsDone: i * 100 });
  }
  print({ ...base, rowsDone: 1300, done: true });
  assert.equal(written.length, 4); // at 1 s, 6 s, 11 s, and the last
  assert.ok(written.every((t) => !t.includes("\r") && t.endsWith("\n")));
  const last = formatProgress({ ...base, rowsDone: 1300, done: true, elapsedMs: 11_000 });
  assert.equal(written.at(-1), `${last}\n`);
});

test("on a terminal every report redraws the same line", () => {
  const written: string[] = [];
  const print = progressPrinter({ write: (t) => written.push(t), tty: true, now: () => 1 });
  print({ ...base, rowsDone: 1 });
  print({ ...base, rowsDone: 2, done: true });
  assert.equal(written.length, 2);
  assert.ok(written.every((t) => t.startsWith("\r")));
  assert.ok(written[1]?.endsWith("\n"));
});
