/**
 * `node bench/gateway/profile.ts [--concurrency 64] [--duration 5] [--rounds 1] [--targets …]`
 *
 * The cost of the production path in gateway CPU, which a busy machine disturbs far less
 * than req/s: each target (default sophia-stdio and sophia-prod) starts with `--cpu-prof`,
 * takes one load cell per round, and reports the gateway process's own CPU time per call
 * (µs/call). Then it prints the top self-time functions of each profile and the share of
 * gateway CPU spent in each src/gateway folder. Profiles stay in the printed folder.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { measureCell } from "./cell.ts";
import { killAllSync } from "./procs.ts";
import { type Context, startTarget, stopTarget, type TargetName } from "./targets.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "64" },
    duration: { type: "string", default: "5" },
    rounds: { type: "string", default: "1" },
    targets: { type: "string", default: "sophia-stdio,sophia-prod" },
    top: { type: "string", default: "25" },
  },
});
const concurrency = Number(values.concurrency);
const durationMs = Number(values.duration) * 1000;
const rounds = Number(values.rounds);
const targets = values.targets.split(",") as TargetName[];

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const tmp = mkdtempSync(join(tmpdir(), "sophia-profile-"));
const profiles = join(tmp, "profiles");
const bin = join(root, "node_modules/.bin");
process.on("exit", () => killAllSync());

function context(): Context {
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profiles}`,
  };
  const runTag = randomUUID().slice(0, 8);
  return { root, node: join(bin, "node"), tmp, runTag, env, stopped: new AbortController().signal };
}

function shortUrl(url: string): string {
  const at = url.indexOf("/src/");
  if (at >= 0) return url.slice(at + 1);
  return url.replace(/^.*node_modules\//, "nm/");
}

function summarise(file: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<number, number>();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const fns = new Map<string, number>();
  const folders = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, count] of counts) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === "(idle)") {
      idle += count;
      continue;
    }
    total += count;
    const where = shortUrl(frame.url);
    const key = `${frame.functionName || "(anonymous)"} ${where}:${frame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + count);
    const folder = where.startsWith("src/gateway/")
      ? where.split("/").slice(0, 3).join("/")
      : where.startsWith("node:") || where === ""
        ? "node internals / native"
        : where.startsWith("nm/")
          ? "node_modules"
          : "other";
    folders.set(folder, (folders.get(folder) ?? 0) + count);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;
  console.log(`  busy samples ${total}, idle ${idle}`);
  for (const [key, count] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${pct(count)}  ${key}`);
  console.log("  by folder (self time):");
  for (const [key, count] of [...folders].sort((a, b) => b[1] - a[1]))
    console.log(`  ${pct(count)}  ${key}`);
}

async function main(): Promise<void> {
  const ctx = context();
  const perCall: Record<string, number[]> = {};
  for (const name of targets) {
    const running = await startTarget(ctx, name);
    for (let round = 0; round < rounds; round++) {
      const cell = await measureCell(ctx.node, running, concurrency, {
        warmupMs: 1000,
        durationMs,
        initTimeoutMs: 30_000,
        callTimeoutMs: 30_000,
      });
      if (cell.status !== "ok") throw new Error(`${name}: ${cell.reason}`);
      const calls = cell.load.reqPerSec * (cell.load.measuredMs / 1000);
      const cpuUs = (cell.cpuPercent.process / 100) * cell.load.measuredMs * 1000;
      const us = cpuUs / calls;
      perCall[name] = [...(perCall[name] ?? []), us];
      console.log(
        `${name} C=${concurrency}: ${Math.round(cell.load.reqPerSec)} req/s, gateway cpu ${cell.cpuPercent.process.toFixed(0)} %, ${us.toFixed(1)} µs/call, others ${cell.cpuPercent.others.toFixed(0)} %`,
      );
    }
    await stopTarget(running);
    const file = readdirSync(profiles)
      .filter((f) => f.includes(`.${running.pid}.`))
      .map((f) => join(profiles, f))[0];
    if (file) {
      console.log(`\n${name} profile ${file}`);
      summarise(file, Number(values.top));
    } else console.log(`${name}: no profile written`);
  }
  console.log("\ngateway CPU per call (µs):");
  for (const [name, list] of Object.entries(perCall))
    console.log(`  ${name}: ${list.map((n) => n.toFixed(1)).join(", ")}`);
  console.log(`profiles kept in ${profiles}`);
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
});
