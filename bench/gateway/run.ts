/**
 * Entry of `npm run bench:gateway`: starts each target fresh, measures it, prints one
 * table and writes bench/results/gateway-<timestamp>.json. Every process it starts is
 * stopped on the way out, including on errors and Ctrl-C.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Options, parseOptions, USAGE } from "./args.ts";
import { killAllSync, stopAll } from "./procs.ts";
import { environment, writeResults } from "./results.ts";
import { pairRatios, renderPairRatios } from "./rounds.ts";
import { renderTable } from "./table.ts";
import type { Context } from "./targets.ts";
import { runThroughput } from "./throughput.ts";
import { renderUpstreams, runUpstreams } from "./upstreams.ts";

const LEGEND = `req/s: successful echo calls per second; p50/p99: their latency; errors: failed calls and sessions;
RSS MB: peak VmRSS of the target process; tree MB: peak of it plus its children and upstream server (MiB);
vs direct: req/s over direct's at the same C; cpu%: target tree CPU (100 = one core); gen cpu%: load generator CPU;
others%: CPU of every other process on the machine meanwhile (near 0 is a clean cell);
open s: seconds to open all C sessions (initialize + initialized) before the warm-up.`;

function createContext(stopped: AbortSignal): Context {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  const runTag = randomUUID().slice(0, 8);
  const tmp = mkdtempSync(join(tmpdir(), `sophia-bench-${runTag}-`));
  const bin = join(root, "node_modules/.bin");
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` };
  return { root, node: join(bin, "node"), tmp, runTag, env, stopped };
}

function installExitHandlers(ctx: Context, stop: AbortController): void {
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    if (stop.signal.aborted) return;
    stop.abort();
    console.error(`\n${signal}: stopping every process this benchmark started`);
    void stopAll(1_000).finally(() => process.exit(code));
  };
  process.on("SIGINT", () => onSignal("SIGINT", 130));
  process.on("SIGTERM", () => onSignal("SIGTERM", 143));
  process.on("SIGHUP", () => onSignal("SIGHUP", 129));
  process.on("exit", () => {
    killAllSync();
    rmSync(ctx.tmp, { recursive: true, force: true });
  });
}

async function run(ctx: Context, options: Options): Promise<void> {
  const startedAt = new Date().toISOString();
  const base = { startedAt, environment: environment(ctx.root), options };
  const outDir = resolve(ctx.root, options.outDir);
  if (options.rssUpstreams !== undefined) {
    const report = await runUpstreams(ctx, options, options.rssUpstreams).catch(
      (error: unknown) => {
        throw new Error(
          `target failed: Sophia with ${options.rssUpstreams} upstreams: ${(error as Error).message}`,
        );
      },
    );
    if (ctx.stopped.aborted) return;
    console.log(renderUpstreams(report));
    const file = writeResults(outDir, "gateway-rss", {
      ...base,
      finishedAt: new Date().toISOString(),
      report,
    });
    console.log(`\nresults: ${file}`);
    return;
  }
  const { cells, measured } = await runThroughput(ctx, options);
  if (ctx.stopped.aborted) return;
  const seconds = `${options.durationMs / 1000} s per cell after ${options.warmupMs / 1000} s warm-up`;
  console.log(`\nMCP gateway benchmark: echo tool, ${seconds}\n`);
  console.log(renderTable(cells));
  const prodRatios = pairRatios(measured, "sophia-prod", "sophia-stdio");
  if (prodRatios.some((r) => r.perRound.length > 0))
    console.log(`\n${renderPairRatios("sophia-prod / sophia-stdio", prodRatios)}`);
  console.log(`\n${LEGEND}`);
  const file = writeResults(outDir, "gateway", {
    ...base,
    finishedAt: new Date().toISOString(),
    cells,
    rounds: measured,
    prodRatios,
  });
  console.log(`\nresults: ${file}`);
}

async function main(): Promise<void> {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 24)
    throw new Error(`Node ${process.version}: run with Node 24 (npm run bench:gateway)`);
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    const message = (error as Error).message;
    console.error(message === USAGE ? USAGE : `${message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const stop = new AbortController();
  const ctx = createContext(stop.signal);
  installExitHandlers(ctx, stop);
  try {
    await run(ctx, options);
  } finally {
    await stopAll(3_000);
  }
}

main().catch((error: unknown) => {
  const message = (error as Error).message ?? String(error);
  console.error(
    message.startsWith("target failed")
      ? message
      : `bench:gateway failed: ${(error as Error).stack}`,
  );
  process.exitCode = 1;
});
