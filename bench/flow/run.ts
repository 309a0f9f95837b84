/**
 * `npm run bench:flow`: Sophia flow and its baselines side by side in one run,
 * on the real PostgreSQL. For each contender: a burst of inserts in multi-row
 * transactions, a catch-up of a backlog after a restart, then a steady stream
 * of single-row commits for latency. Prints rows/s, ratios to the decoding
 * floor (pg_recvlogical), and insert-to-delivery p50/p99.
 */
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median, roundOrder } from "../shared/rounds.ts";
import { CONTENDERS, type Contender, type RunContext, sophiaWebhook } from "./contenders/index.ts";
import { startReceiver } from "./receiver.ts";
import { pollSinkTable, type SinkPoller } from "./sink-poller.ts";
import {
  closeSource,
  createSlot,
  dropSlot,
  insertBurst,
  insertSteady,
  load,
  openSource,
  type Source,
} from "./source.ts";
import { nowMs, Tally } from "./tally.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    tx: { type: "string", default: "1000" },
    rate: { type: "string", default: "1000" },
    seconds: { type: "string", default: "20" },
    only: { type: "string" },
    url: { type: "string" },
    baseline: { type: "string" },
    rounds: { type: "string", default: "1" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(`npm run bench:flow -- [--rows 100000] [--tx 1000] [--rate 1000] [--seconds 20]
                      [--only pg_recvlogical,sophia-webhook,...] [--url postgres://...]
                      [--baseline DIR]   also run sophia-webhook from another checkout (before/after in one run)
                      [--rounds N]       run every contender N times, in alternating order; the table shows
                                         medians, and each contender's ratios to the floor round by round`);
  process.exit(0);
}

const ROWS = Number(values.rows);
const PER_TX = Number(values.tx);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 20) {
  console.error(`bench:flow: --rounds must be a whole number from 1 to 20, got "${values.rounds}"`);
  process.exit(2);
}
const URL =
  values.url ?? process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TAG = randomUUID().slice(0, 8);
const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
/** Ctrl-C or SIGTERM: the contender being measured fails at once and every cleanup below still runs. */
const interrupted = new Promise<never>((_, reject) => {
  const stop = (signal: string) => {
    load.stopped = true;
    console.error(`bench:flow: ${signal}: cleaning up (again to quit at once)`);
    reject(new Error(`interrupted by ${signal}`));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
});
interrupted.catch(() => {});

interface BenchState {
  tally: Tally | undefined;
  poller?: SinkPoller | undefined;
}

interface Result {
  /** Which round (1…) this is from; absent in the medians. */
  round?: number;
  name: string;
  burst: number;
  catchUp: number;
  p50: number;
  p99: number;
  error?: string;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

async function measure(
  source: Source,
  contender: Contender,
  ctx: RunContext,
  state: BenchState,
): Promise<Result> {
  let child = contender.start(ctx);
  children.add(child);
  const table = contender.sinkTable?.(ctx);
  if (table !== undefined) state.poller = await pollSinkTable(URL, table, () => state.tally);
  const timeout = 120_000;
  await warmUp(source, contender, state);

  const burstStart = nowMs();
  state.tally = new Tally(ROWS, Date.now());
  await insertBurst(source, ROWS, PER_TX);
  await state.tally.wait(timeout, `${contender.name} burst`);
  const burst = ROWS / ((state.tally.lastAt - burstStart) / 1000);

  await stopChild(child);
  state.tally = new Tally(ROWS, Date.now());
  await insertBurst(source, ROWS, PER_TX);
  if (load.stopped) throw new Error("interrupted");
  child = contender.start(ctx);
  children.add(child);
  await state.tally.wait(timeout, `${contender.name} catch-up`);
  const catchUp = state.tally.rate();

  state.tally = new Tally(RATE * SECONDS, Date.now());
  await insertSteady(source, RATE, SECONDS);
  await state.tally.wait(timeout, `${contender.name} steady`);
  const result = {
    name: contender.name,
    burst,
    catchUp,
    p50: state.tally.percentile(50),
    p99: state.tally.percentile(99),
  };
  await stopChild(child);
  return result;
}

/** Inserts a row every 500 ms until one arrives: a contender that creates its own slot misses rows before it. */
async function warmUp(source: Source, contender: Contender, state: BenchState): Promise<void> {
  const tally = new Tally(1, Date.now());
  state.tally = tally;
  const deadline = performance.now() + 60_000;
  while (tally.count === 0) {
    if (performance.now() > deadline)
      throw new Error(`${contender.name} warm-up: no row after 60 s`);
    await insertBurst(source, 1, 1);
    await tally.wait(500, "warm-up").catch(() => {});
  }
}

const LEGEND = `
  burst rows/s     rows ÷ (last delivery − start of the inserts); the contender streams while they run
  catch-up rows/s  a backlog inserted while the contender was stopped, drained after its restart (first→last delivery)
  × floor          ratio to pg_recvlogical + test_decoding (the server's decoding rate, nothing delivered)
  steady p50/p99   insert (the row's clock_timestamp) → delivery: the receiver's clock for HTTP contenders,
                   the sink transaction's start (updated_at) for table sinks; same machine, same clock
contenders:`;

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "-";
}

function render(results: Result[]): string {
  const floor = results.find((r) => r.name === "pg_recvlogical");
  const header = [
    "contender",
    "burst rows/s",
    "× floor",
    "catch-up rows/s",
    "× floor",
    "steady p50 ms",
    "p99 ms",
  ];
  const rows = results.map((r) =>
    r.error
      ? [r.name, `failed: ${r.error}`, "", "", "", "", ""]
      : [
          r.name,
          fmt(r.burst),
          floor ? fmt(r.burst / floor.burst, 2) : "-",
          fmt(r.catchUp),
          floor ? fmt(r.catchUp / floor.catchUp, 2) : "-",
          fmt(r.p50, 1),
          fmt(r.p99, 1),
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

/** Per contender, the median of each figure over the rounds it did not fail. */
function medians(chosen: readonly Contender[], results: readonly Result[]): Result[] {
  return chosen.map((contender) => {
    const own = results.filter((r) => r.name === contender.name);
    const ok = own.filter((r) => r.error === undefined);
    if (ok.length === 0) return own[0] as Result;
    const mid = (pick: (r: Result) => number) => median(ok.map(pick));
    return {
      name: contender.name,
      burst: mid((r) => r.burst),
      catchUp: mid((r) => r.catchUp),
      p50: mid((r) => r.p50),
      p99: mid((r) => r.p99),
    };
  });
}

/** Each contender's burst and catch-up over the floor's of the same round. */
function renderRounds(chosen: readonly Contender[], results: readonly Result[]): string {
  const floorOf = (round: number) =>
    results.find((r) => r.round === round && r.name === "pg_recvlogical" && !r.error);
  const lines = ["× floor, round by round (each over the floor measured in the same round):"];
  for (const contender of chosen) {
    if (contender.name === "pg_recvlogical") continue;
    const ratios = { burst: [] as number[], catchUp: [] as number[] };
    for (const r of results) {
      const floor = r.round === undefined ? undefined : floorOf(r.round);
      if (r.name !== contender.name || r.error || floor === undefined) continue;
      ratios.burst.push(r.burst / floor.burst);
      ratios.catchUp.push(r.catchUp / floor.catchUp);
    }
    const show = (values: number[]) =>
      `${values.map((v) => fmt(v, 2)).join(" ")} (median ${fmt(median(values), 2)})`;
    lines.push(`  ${contender.name.padEnd(24)} burst ${show(ratios.burst)}`);
    lines.push(`  ${"".padEnd(24)} catch-up ${show(ratios.catchUp)}`);
  }
  return lines.join("\n");
}

/** Every path: children stopped, slot and publication dropped, the contender's tables removed. */
async function cleanUp(
  source: Source,
  contender: Contender,
  ctx: RunContext,
  state: BenchState,
  slot: string,
): Promise<void> {
  state.tally = undefined;
  for (const child of children) await stopChild(child);
  await state.poller?.stop();
  state.poller = undefined;
  await dropSlot(source, slot);
  if (contender.ownsSlot)
    await source.client.query(`DROP PUBLICATION IF EXISTS ${ctx.publication}`).catch(() => {});
  await contender.cleanup?.(ctx).catch((error: Error) => {
    console.error(`bench:flow: ${contender.name} cleanup: ${error.message}`);
  });
  rmSync(ctx.tmp, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const all = [...CONTENDERS];
  if (values.baseline !== undefined)
    all.splice(2, 0, sophiaWebhook("sophia-webhook@baseline", resolve(values.baseline)));
  const chosen = values.only ? all.filter((c) => values.only!.split(",").includes(c.name)) : all;
  const table = `public.bench_flow_${TAG}`;
  const publication = `bench_flow_${TAG}`;
  const source = await openSource(URL, table);
  await source.client.query(`CREATE PUBLICATION ${publication} FOR TABLE ${table}`);
  const state: BenchState = { tally: undefined };
  const receiver = await startReceiver(() => state.tally);
  const results: Result[] = [];
  const rounds = Array.from({ length: ROUNDS }, (_, i) => i + 1).flatMap((round) =>
    roundOrder(chosen, round).map((contender) => ({ round, contender })),
  );
  try {
    for (const { round, contender } of rounds) {
      const flowName = `bench_${contender.name.replace(/[^a-z0-9]/g, "_")}_${TAG}`;
      const slot = contender.ownsSlot ? `sophia_${flowName}` : flowName;
      if (!contender.ownsSlot) await createSlot(source, slot, contender.plugin);
      const ctx: RunContext = {
        root: ROOT,
        node: join(ROOT, "node_modules/.bin/node"),
        url: URL,
        table,
        slot,
        publication: contender.ownsSlot ? `sophia_${flowName}` : publication,
        flowName,
        tmp: mkdtempSync(join(tmpdir(), "sophia-bench-flow-")),
        receiverUrl: receiver.url,
        current: () => state.tally,
      };
      console.error(
        `bench:flow: ${contender.name}${ROUNDS > 1 ? ` (round ${round}/${ROUNDS})` : ""} …`,
      );
      try {
        await contender.setup?.(ctx);
        const measuring = measure(source, contender, ctx, state);
        measuring.catch(() => {});
        results.push({ ...(await Promise.race([measuring, interrupted])), round });
      } catch (error) {
        results.push({
          round,
          name: contender.name,
          burst: 0,
          catchUp: 0,
          p50: 0,
          p99: 0,
          error: (error as Error).message,
        });
      } finally {
        await cleanUp(source, contender, ctx, state, slot);
      }
      if (load.stopped) break;
    }
  } finally {
    await receiver.close();
    await source.client.query(`DROP PUBLICATION IF EXISTS ${publication}`).catch(() => {});
    await closeSource(source);
  }
  console.log(
    `\nflow benchmark: ${fmt(ROWS)} rows in ${fmt(PER_TX)}-row transactions (burst), ${fmt(ROWS)}-row backlog (catch-up, first→last delivery), ${fmt(RATE)} commits/s for ${SECONDS} s (steady)\n`,
  );
  const shown = ROUNDS > 1 ? medians(chosen, results) : results;
  if (ROUNDS > 1) console.log(`medians of ${ROUNDS} rounds (contenders in alternating order):\n`);
  console.log(render(shown));
  if (ROUNDS > 1) console.log(`\n${renderRounds(chosen, results)}`);
  console.log(LEGEND);
  for (const contender of chosen) console.log(`  ${contender.name}: ${contender.about}`);
  const out = join(ROOT, "bench/results");
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, `flow-${new Date().toISOString().replace(/[:.]/g, "-")}.json`),
    JSON.stringify(
      { rows: ROWS, perTx: PER_TX, rate: RATE, seconds: SECONDS, rounds: ROUNDS, results },
      null,
      2,
    ),
  );
  if (load.stopped) process.exit(130);
}

await main();
