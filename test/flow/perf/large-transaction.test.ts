/**
 * A 1,000,000-row transaction streams through `sophia flow run --webhook`
 * with bounded memory (peak RSS under RSS_LIMIT_MB): the engine runs as a child process, its RSS is
 * sampled from /proc until every row has reached the receiver, and each row
 * must arrive at least once and in order.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import pg from "pg";
import { type OrderedReceiver, startOrderedReceiver } from "./receiver.ts";

const PG_URL = process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ROOT = join(import.meta.dirname, "../../..");
const ROWS = 1_000_000;
/**
 * The issue's bound on the engine's peak RSS while the transaction streams,
 * whole process included (the CLI at rest is about 125 MB of it). With V8's
 * heap growth capped (src/flow/engine/heap-caps.ts) the peak
 * lands at 202-232 MB on this machine; retaining the events instead of
 * streaming them costs 700 MB and more.
 */
const RSS_LIMIT_MB = 300;
const DEADLINE_MS = 10 * 60_000;
/** Extra node flags for the engine, to investigate (e.g. "--trace-gc"); its stdout is then shown. */
const NODE_ARGS = process.env.SOPHIA_PERF_NODE_ARGS?.split(" ").filter(Boolean) ?? [];

async function rssMb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => undefined);
  const match = status === undefined ? null : /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match === null ? undefined : Number(match[1]) / 1024;
}

async function waitUntil(what: string, deadline: number, check: () => Promise<boolean>) {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

async function dropSlot(db: pg.Client, slot: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await db.query<{ pid: number | null }>(
      "SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1",
      [slot],
    );
    if (rows[0] === undefined) return;
    if (rows[0].pid !== null) await db.query("SELECT pg_terminate_backend($1)", [rows[0].pid]);
    await db.query("SELECT pg_drop_replication_slot($1)", [slot]).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function startFlow(name: string, receiver: OrderedReceiver, stateDir: string): ChildProcess {
  const args = [
    ...NODE_ARGS,
    ...[join(ROOT, "src/cli/main.ts"), "flow", "run", "--source", PG_URL],
    ...["--table", `public.${name}`, "--webhook", receiver.url, "--name", name],
    ...["--secret", "perf-secret-0123456789abcdef", "--state-dir", stateDir, "--log-level", "warn"],
  ];
  return spawn(join(ROOT, "node_modules/.bin/node"), args, {
    cwd: ROOT,
    stdio: ["ignore", NODE_ARGS.length > 0 ? "inherit" : "ignore", "inherit"],
  });
}

test(`a ${ROWS.toLocaleString("en-US")}-row transaction streams with engine RSS under ${RSS_LIMIT_MB} MB, every row once or more, in order`, {
  timeout: DEADLINE_MS + 120_000,
}, async () => {
  const name = `flowperf_${randomBytes(4).toString("hex")}`;
  const slot = `sophia_${name}`;
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  const dir = await mkdtemp(join(tmpdir(), "sophia-flow-perf-"));
  const receiver = await startOrderedReceiver(ROWS);
  let child: ChildProcess | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    await db.query(`CREATE TABLE public.${name} (id bigint PRIMARY KEY, payload text NOT NULL)`);
    const deadline = Date.now() + DEADLINE_MS;
    child = startFlow(name, receiver, join(dir, "state"));
    const pid = child.pid as number;
    let peak = 0;
    sampler = setInterval(() => {
      void rssMb(pid).then((mb) => {
        if (mb !== undefined && mb > peak) peak = mb;
      });
    }, 100);
    // The flow creates its slot at start: rows inserted before it streams would not be captured.
    await waitUntil("the flow's slot", deadline, async () => {
      const { rows } = await db.query(
        "SELECT active FROM pg_replication_slots WHERE slot_name = $1",
        [slot],
      );
      return rows[0]?.active === true;
    });
    const idle = peak;
    await db.query(
      `INSERT INTO public.${name} SELECT g, 'row ' || g || ' ' || md5(g::text) FROM generate_series(1, ${ROWS}) g`,
    );
    await waitUntil(`all rows (${receiver.next - 1} of ${ROWS})`, deadline, async () => {
      if (receiver.error !== undefined) throw receiver.error;
      return receiver.next > ROWS;
    });
    clearInterval(sampler);
    const final = await rssMb(pid);
    if (final !== undefined && final > peak) peak = final;
    console.log(
      `# ${ROWS} rows: engine RSS idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB; ${receiver.requests} requests, ${receiver.repeats} repeated events`,
    );
    assert.equal(receiver.next, ROWS + 1, "every row arrived, in order");
    assert.ok(peak > 0, "RSS was sampled");
    assert.ok(
      peak < RSS_LIMIT_MB,
      `engine RSS peaked at ${peak.toFixed(0)} MB (idle ${idle.toFixed(0)} MB), over ${RSS_LIMIT_MB} MB`,
    );
  } finally {
    clearInterval(sampler);
    if (child !== undefined) await stopChild(child);
    await receiver.close();
    await dropSlot(db, slot);
    await db.query(`DROP PUBLICATION IF EXISTS ${slot}`);
    await db.query(`DROP TABLE IF EXISTS public.${name}`);
    await db.end();
    await rm(dir, { recursive: true, force: true });
  }
});
