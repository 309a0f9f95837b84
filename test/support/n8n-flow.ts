/**
 * The source side of the n8n workflow loop: a PostgreSQL table of its own and
 * `sophia flow run` in its one-line form (child process, own slot and
 * publication, state in a temp folder) POSTing the table's changes to a
 * webhook. `cleanup` stops the flow and drops table, slot and publication.
 */
import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { dropSlot } from "../flow/capture/support.ts";
import { CliProcess } from "./cli-process.ts";
import { until } from "./poll.ts";

export const PG_URL =
  process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** An `x-sophia-signature` value made independently of Sophia's code (the documented format). */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${v1}`;
}

/** A webhook body as a flow sends it: one insert of `row` into public.`table`. */
export function insertEventBody(table: string, row: { id: number; subject: string }): string {
  return JSON.stringify([
    {
      id: `public.${table}:0/1:0`,
      op: "insert",
      schema: "public",
      table,
      key: { id: row.id },
      before: null,
      after: row,
      commitLsn: "0/1",
      seq: 0,
      txId: 1,
      commitTime: new Date().toISOString(),
    },
  ]);
}

export class TicketFlow {
  /** Table, flow name, and so slot and publication `sophia_<name>`. */
  readonly name = `n8n_e2e_${process.pid}_${Date.now() % 100000}`;
  readonly db = new pg.Client({ connectionString: PG_URL });
  flow: CliProcess | undefined;
  #stateDir = "";

  async createTable(): Promise<void> {
    await this.db.connect();
    await this.db.query(
      `CREATE TABLE public.${this.name} (id int PRIMARY KEY, subject text NOT NULL)`,
    );
  }

  /** Starts the flow; resolves once it reports running (slot and publication in place). */
  async start(webhook: string, secret: string): Promise<void> {
    this.#stateDir = await mkdtemp(join(tmpdir(), "sophia-n8n-flow-"));
    const flow = new CliProcess([
      "flow",
      "run",
      "--source",
      PG_URL,
      "--table",
      `public.${this.name}`,
      "--webhook",
      webhook,
      "--secret",
      secret,
      "--name",
      this.name,
      "--state-dir",
      this.#stateDir,
      "--log-level",
      "warn",
    ]);
    this.flow = flow;
    flow.child.stdin.end();
    await until(
      `"${this.name} running" from sophia flow run`,
      () => {
        if (!flow.running) throw new Error(`sophia flow run exited early: ${flow.stderr}`);
        return flow.stderr.includes(`${this.name} running`) ? true : undefined;
      },
      { timeoutMs: 30_000, everyMs: 50 },
    );
  }

  async cleanup(): Promise<void> {
    const flow = this.flow;
    if (flow?.running) {
      flow.child.kill("SIGTERM");
      await flow.exited(15_000).catch(() => undefined);
    }
    const slot = `sophia_${this.name}`;
    await dropSlot(this.db, slot).catch(() => undefined);
    await this.db.query(`DROP PUBLICATION IF EXISTS ${slot}`).catch(() => undefined);
    await this.db.query(`DROP TABLE IF EXISTS public.${this.name}`).catch(() => undefined);
    await this.db.end().catch(() => undefined);
    if (this.#stateDir) await rm(this.#stateDir, { recursive: true, force: true });
  }
}
