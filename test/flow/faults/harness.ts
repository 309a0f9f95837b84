/**
 * A real `sophia flow run` child process against the real PostgreSQL, with a
 * webhook receiver on 127.0.0.1 and a PostgreSQL replica sink. Each harness
 * owns its table, slot, publication, target schema and state directory, and
 * removes them in `cleanup`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { CLI_MAIN } from "../../support/cli-process.ts";
import { NODE, ROOT } from "../../support/gateway-harness.ts";
import { until } from "../../support/poll.ts";

export const PG_URL =
  process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface Delivered {
  id: string;
  op: string;
  key: { id: number };
  after: { id: number; v: number } | null;
}

export class FlowHarness {
  readonly name: string;
  readonly table: string;
  readonly target: string;
  readonly db = new pg.Client({ connectionString: PG_URL });
  readonly delivered: Delivered[] = [];
  /** While false the receiver answers 503 (a receiver that is down). */
  accepting = true;
  #server: Server | undefined;
  #dir = "";
  #configFile = "";
  child: ChildProcess | undefined;
  stderr = "";

  constructor(tag: string) {
    this.name = `ft_${tag}_${process.pid}_${Date.now() % 100000}`;
    this.table = this.name;
    this.target = `${this.name}_target`;
  }

  async setup(): Promise<void> {
    await this.db.connect();
    await this.db.query(`CREATE TABLE public.${this.table} (id int PRIMARY KEY, v int NOT NULL)`);
    await this.db.query(`CREATE SCHEMA ${this.target}`);
    this.#server = createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8").on("data", (chunk: string) => {
        body += chunk;
      });
      request.on("end", () => {
        if (!this.accepting) return response.writeHead(503).end("down");
        const parsed = JSON.parse(body) as Delivered[] | { events: Delivered[] };
        this.delivered.push(...(Array.isArray(parsed) ? parsed : parsed.events));
        response.writeHead(200).end("ok");
      });
    });
    this.#server.listen(0, "127.0.0.1");
    await once(this.#server, "listening");
    const port = (this.#server.address() as AddressInfo).port;
    this.#dir = await mkdtemp(join(tmpdir(), "sophia-fault-"));
    this.#configFile = join(this.#dir, "sophia.yaml");
    await writeFile(this.#configFile, this.#config(port));
  }

  #config(port: number): string {
    return `flows:
  ${this.name}:
    source: { postgres: "${PG_URL}", tables: [public.${this.table}] }
    sinks:
      hook:
        webhook:
          url: "http://127.0.0.1:${port}/hook"
          secret: "fault-test-secret-0123456789"
          retry: { initialDelay: 20ms, maxDelay: 200ms, maxAttempts: 1000, maxElapsed: 10m }
      copy: { postgres: { connectionString: "${PG_URL}", schema: ${this.target}, createTable: true } }
    batch: { size: 20, maxWait: 5ms }
    walBudget: { checkEvery: 200ms }
    state: { dir: "${join(this.#dir, "state")}" }
`;
  }

  /** Starts `sophia flow run`; resolves once the flow reports it is running (slot in place). */
  async start(env: Record<string, string> = {}): Promise<void> {
    const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
    delete childEnv.NODE_TEST_CONTEXT;
    delete childEnv.NODE_OPTIONS;
    this.stderr = "";
    const child = spawn(
      NODE,
      [CLI_MAIN, "flow", "run", "--config", this.#configFile, "--log-level", "warn"],
      {
        cwd: ROOT,
        env: childEnv,
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    this.child = child;
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    await until(
      `"${this.name} running" on stderr`,
      () => {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`sophia flow run exited early: ${this.stderr}`);
        return this.stderr.includes(`${this.name} running`) ? true : undefined;
      },
      { timeoutMs: 30_000, everyMs: 50 },
    );
  }

  /** Waits for the child to end; returns its exit code or signal. */
  async exited(timeoutMs = 30_000): Promise<string> {
    const child = this.child;
    if (child === undefined) return "none";
    if (child.exitCode === null && child.signalCode === null) {
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      await once(child, "exit");
      clearTimeout(timer);
    }
    return child.signalCode ?? String(child.exitCode);
  }

  async stop(): Promise<string> {
    this.child?.kill("SIGTERM");
    return this.exited();
  }

  /** Source rows as "id=v" lines, ordered. */
  async sourceRows(): Promise<string[]> {
    const result = await this.db.query(`SELECT id, v FROM public.${this.table} ORDER BY id`);
    return result.rows.map((row) => `${row.id}=${row.v}`);
  }

  async targetRows(): Promise<string[]> {
    const result = await this.db
      .query(`SELECT id, v FROM ${this.target}.${this.table} ORDER BY id`)
      .catch(() => ({ rows: [] as { id: number; v: number }[] }));
    return result.rows.map((row) => `${row.id}=${row.v}`);
  }

  async cleanup(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGKILL");
      await once(this.child, "exit").catch(() => undefined);
    }
    const slot = `sophia_${this.name}`;
    await until(
      "the slot to be released",
      async () => {
        const r = await this.db.query(
          "SELECT active FROM pg_replication_slots WHERE slot_name = $1",
          [slot],
        );
        return r.rows[0]?.active === true ? undefined : true;
      },
      { timeoutMs: 10_000 },
    ).catch(() => undefined);
    await this.db
      .query(
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1",
        [slot],
      )
      .catch(() => undefined);
    await this.db.query(`DROP PUBLICATION IF EXISTS ${slot}`).catch(() => undefined);
    await this.db.query(`DROP TABLE IF EXISTS public.${this.table}`).catch(() => undefined);
    await this.db.query(`DROP SCHEMA IF EXISTS ${this.target} CASCADE`).catch(() => undefined);
    await this.db.end().catch(() => undefined);
    await new Promise((resolve) => this.#server?.close(resolve) ?? resolve(undefined));
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
  }
}

/** Writes `transactions` transactions; each inserts fresh keys and bumps v of earlier ones (per-key order matters). */
export async function writeLoad(
  db: pg.Client,
  table: string,
  transactions: number,
  perTx = 5,
  startKey = 1,
): Promise<void> {
  for (let tx = 0; tx < transactions; tx++) {
    await db.query("BEGIN");
    for (let i = 0; i < perTx; i++) {
      const id = startKey + tx * perTx + i;
      await db.query(`INSERT INTO public.${table} (id, v) VALUES ($1, 1)`, [id]);
    }
    // Bump a few existing keys: their v goes 1, 2, 3, … in commit order.
    await db.query(`UPDATE public.${table} SET v = v + 1 WHERE id % 7 = $1`, [tx % 7]);
    await db.query("COMMIT");
  }
}

/**
 * The webhook guarantee: every key's final value arrived, and per key the
 * values first appear in increasing order (redeliveries may repeat a suffix).
 */
export function checkWebhook(delivered: Delivered[], sourceRows: string[]): string[] {
  const problems: string[] = [];
  const seen = new Map<number, number[]>();
  for (const event of delivered) {
    if (event.after === null) continue;
    const values = seen.get(event.after.id) ?? [];
    if (!values.includes(event.after.v)) values.push(event.after.v);
    seen.set(event.after.id, values);
  }
  for (const row of sourceRows) {
    const [id, v] = row.split("=").map(Number) as [number, number];
    const values = seen.get(id) ?? [];
    if (!values.includes(v))
      problems.push(`key ${id}: final v=${v} never delivered (got ${values})`);
    if (values.some((value, i) => i > 0 && value < (values[i - 1] ?? 0)))
      problems.push(`key ${id}: out of order ${values}`);
  }
  return problems;
}
