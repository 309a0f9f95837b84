/**
 * `node bench/flow/profile.ts [--rows 100000]`: CPU profile of `sophia flow run
 * --webhook` draining a backlog. The flow starts once to create its slot, is
 * stopped, the backlog is inserted, and a second run under `--cpu-prof` drains
 * it to the bench receiver. Prints the top functions by self time and the
 * profile's path (open it in Chrome DevTools for the tree).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startReceiver } from "./receiver.ts";
import { closeSource, dropSlot, insertBurst, openSource, waitForSlot } from "./source.ts";
import { Tally } from "./tally.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    top: { type: "string", default: "30" },
    url: { type: "string" },
  },
});
const ROWS = Number(values.rows);
const URL =
  values.url ?? process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TAG = randomUUID().slice(0, 8);
const FLOW = `bench_profile_${TAG}`;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function startFlow(receiverUrl: string, stateDir: string, profDir?: string): ChildProcess {
  const prof = profDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${profDir}`];
  const args = [
    ...prof,
    join(ROOT, "src/cli/main.ts"),
    ...["flow", "run", "--source", URL, "--table", `public.${FLOW}`, "--webhook", receiverUrl],
    ...["--secret", "bench-secret-0123456789abcdef", "--name", FLOW, "--state-dir", stateDir],
    ...["--log-level", "warn"],
  ];
  return spawn(join(ROOT, "node_modules/.bin/node"), args, {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  child.kill("SIGTERM");
  return exited;
}

/** Self time per function (ms), highest first. */
export function selfTimes(profile: Profile): { name: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) return;
    const where = frame.url.replace(/^.*\/(node_modules|src)\//, "$1/");
    const name = `${frame.functionName || "(anonymous)"} ${where}:${frame.lineNumber + 1}`;
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

async function main(): Promise<void> {
  const source = await openSource(URL, `public.${FLOW}`);
  const tmp = mkdtempSync(join(tmpdir(), "sophia-flow-profile-"));
  const state: { tally: Tally | undefined } = { tally: undefined };
  const receiver = await startReceiver(() => state.tally);
  const children: ChildProcess[] = [];
  const onSignal = () => void Promise.all(children.map(stop)).then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  try {
    const first = startFlow(receiver.url, join(tmp, "state"));
    children.push(first);
    await waitForSlot(source, `sophia_${FLOW}`, 60_000);
    console.error("profile: slot ready; stopping the first run");
    await stop(first);
    await insertBurst(source, ROWS, 1000);
    console.error(`profile: ${ROWS} rows inserted; draining under --cpu-prof`);
    state.tally = new Tally(ROWS);
    const started = performance.now();
    const second = startFlow(receiver.url, join(tmp, "state"), join(tmp, "prof"));
    children.push(second);
    await state.tally.wait(300_000, "profile drain");
    const seconds = (performance.now() - started) / 1000;
    await stop(second);
    const file = readdirSync(join(tmp, "prof")).find((name) => name.endsWith(".cpuprofile"));
    if (file === undefined) throw new Error("no .cpuprofile written");
    const profile = JSON.parse(readFileSync(join(tmp, "prof", file), "utf8")) as Profile;
    console.log(`${ROWS} rows drained in ${seconds.toFixed(2)} s (from process start)`);
    console.log(`steady drain ${Math.round(state.tally.rate())} rows/s; top self time:`);
    for (const { name, ms } of selfTimes(profile).slice(0, Number(values.top)))
      console.log(`${ms.toFixed(0).padStart(7)} ms  ${name}`);
    console.log(`profile: ${join(tmp, "prof", file)}`);
  } finally {
    for (const child of children) await stop(child);
    await receiver.close();
    await dropSlot(source, `sophia_${FLOW}`);
    await source.client.query(`DROP PUBLICATION IF EXISTS sophia_${FLOW}`).catch(() => {});
    await closeSource(source);
    rmSync(join(tmp, "state"), { recursive: true, force: true });
  }
}

await main();
