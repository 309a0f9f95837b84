import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { CliProcess } from "../../support/cli-process.ts";
import { until } from "../../support/poll.ts";
import { dropSlot } from "../capture/support.ts";
import { writeLoad } from "../faults/harness.ts";

const PG_URL = process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const NATS_URL = process.env.SOPHIA_TEST_NATS_URL ?? "nats://127.0.0.1:4222";

class Cluster {
  readonly name = `dist_${randomBytes(4).toString("hex")}`;
  readonly stream = `SOPHIA_TEST_${this.name.toUpperCase()}`;
  readonly db = new pg.Client({ connectionString: PG_URL });
  readonly processes: CliProcess[] = [];
  dir = "";
  config = "";

  async setup(): Promise<void> {
    await this.db.connect();
    await this.db.query(`CREATE TABLE public.${this.name} (id int PRIMARY KEY, v int NOT NULL)`);
    for (const s of ["a", "b"]) await this.db.query(`CREATE SCHEMA ${this.name}_${s}`);
    this.dir = await mkdtemp(join(tmpdir(), "sophia-dist-"));
    this.config = join(this.dir, "sophia.yaml");
    const sink = (s: string) =>
      `{ postgres: { connectionString: "${PG_URL}", schema: ${this.name}_${s}, createTable: true } }`;
    await writeFile(
      this.config,
      `flows:
  ${this.name}:
    source: { postgres: "${PG_URL}", tables: [public.${this.name}] }
    sinks: { a: ${sink("a")}, b: ${sink("b")} }
    batch: { size: 50, maxWait: 5ms }
    state: { dir: "${join(this.dir, "state")}" }
    distributed:
      nats: "${NATS_URL}"
      stream: ${this.stream}
      subjectPrefix: test.${this.name}
      maxAckPending: 40
      ackWait: 5s
      standbyPoll: 100ms
`,
    );
  }

  start(...args: string[]): CliProcess {
    const p = new CliProcess([
      "flow",
      ...args,
      this.name,
      "--config",
      this.config,
      "--log-level",
      "warn",
    ]);
    this.processes.push(p);
    return p;
  }

  async says(p: CliProcess, text: string): Promise<void> {
    await until(
      `"${text}" from ${p.child.pid}`,
      () => {
        if (!p.running) throw new Error(`exited: ${p.stderr}`);
        return p.stderr.includes(text) ? true : undefined;
      },
      { timeoutMs: 30_000, everyMs: 50 },
    );
  }

  async rows(table: string): Promise<string> {
    const r = await this.db
      .query(`SELECT id, v FROM ${table} ORDER BY id`)
      .catch(() => ({ rows: [] as { id: number; v: number }[] }));
    return r.rows.map((row) => `${row.id}=${row.v}`).join(",");
  }

  async cleanup(): Promise<void> {
    for (const p of this.processes) if (p.running) p.child.kill("SIGKILL");
    for (const p of this.processes) await p.exited(10_000).catch(() => undefined);
    const nc = await connect({ servers: NATS_URL });
    await (await jetstreamManager(nc)).streams.delete(this.stream).catch(() => undefined);
    await nc.close();
    await dropSlot(this.db, `sophia_${this.name}`).catch(() => undefined);
    await this.db.query(`DROP PUBLICATION IF EXISTS sophia_${this.name}`).catch(() => undefined);
    await this.db.query(`DROP TABLE IF EXISTS public.${this.name}`).catch(() => undefined);
    for (const s of ["a", "b"])
      await this.db.query(`DROP SCHEMA IF EXISTS ${this.name}_${s} CASCADE`).catch(() => undefined);
    await this.db.end().catch(() => undefined);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

test("distributed: capture + 2 workers deliver everything; the standby capture takes over, a killed worker's messages are redelivered", {
  timeout: 240_000,
}, async () => {
  const c = new Cluster();
  try {
    await c.setup();
    const leader = c.start("capture");
    await c.says(leader, "leading");
    const standby = c.start("capture");
    await c.says(standby, "standby");
    const workerA = c.start("worker", "--sink", "a");
    const workerB = c.start("worker", "--sink", "b");
    await c.says(workerA, "leading");
    await c.says(workerB, "leading");
    const workerA2 = c.start("worker", "--sink", "a");
    await c.says(workerA2, "standby");

    await writeLoad(c.db, c.name, 40, 5, 1);
    leader.child.kill("SIGKILL");
    await writeLoad(c.db, c.name, 40, 5, 1000); // while the standby takes over
    await c.says(standby, "leading");
    await until(
      "sink a to have some rows",
      async () => ((await c.rows(`${c.name}_a.${c.name}`)).length > 0 ? true : undefined),
      { timeoutMs: 30_000, everyMs: 50 },
    );
    workerA.child.kill("SIGKILL"); // mid-stream: its unacknowledged messages come back
    await writeLoad(c.db, c.name, 40, 5, 2000);
    await c.says(workerA2, "leading");

    const source = await c.rows(`public.${c.name}`);
    for (const s of ["a", "b"])
      await until(
        `sink ${s} to equal the source`,
        async () => ((await c.rows(`${c.name}_${s}.${c.name}`)) === source ? true : undefined),
        { timeoutMs: 60_000, everyMs: 200 },
      );
    assert.equal(source.split(",").length, 600);
    for (const p of [standby, workerB, workerA2]) p.child.kill("SIGTERM");
    for (const p of [standby, workerB, workerA2])
      assert.equal((await p.exited(30_000)).code, 0, p.stderr);
  } finally {
    await c.cleanup();
  }
});
