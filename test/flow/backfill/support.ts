/**
 * A source table, a replica schema (postgres sink), a state directory and a
 * sophia.yaml for one backfill test; `cleanup` removes all of them (slot and
 * publication too).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { dropSlot } from "../capture/support.ts";

export const PG_URL =
  process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export class BackfillFixture {
  readonly name = `bf_${randomBytes(4).toString("hex")}`;
  readonly db = new pg.Client({ connectionString: PG_URL });
  dir = "";
  configFile = "";

  get table(): string {
    return `public.${this.name}`;
  }

  get target(): string {
    return `${this.name}_target`;
  }

  get slot(): string {
    return `sophia_${this.name}`;
  }

  async setup(rows: number, extra = ""): Promise<void> {
    await this.db.connect();
    await this.db.query(`CREATE TABLE ${this.table} (id int PRIMARY KEY, v int NOT NULL, t text)`);
    await this.db.query(
      `INSERT INTO ${this.table} SELECT g, 0, 'row ' || g FROM generate_series(1, $1) g`,
      [rows],
    );
    await this.db.query(`ANALYZE ${this.table}`);
    await this.db.query(`CREATE SCHEMA ${this.target}`);
    this.dir = await mkdtemp(join(tmpdir(), "sophia-backfill-"));
    this.configFile = join(this.dir, "sophia.yaml");
    await writeFile(this.configFile, this.config(extra));
  }

  config(extra: string): string {
    return `flows:
  ${this.name}:
    source: { postgres: "${PG_URL}", tables: [${this.table}]${extra} }
    sinks:
      copy: { postgres: { connectionString: "${PG_URL}", schema: ${this.target}, createTable: true } }
    batch: { size: 500, maxWait: 5ms }
    walBudget: { checkEvery: 200ms }
    state: { dir: "${join(this.dir, "state")}" }
`;
  }

  /** The saved backfill progress, read from the state file. */
  async savedProgress(): Promise<{ rowsDone: number; done: boolean } | undefined> {
    const text = await readFile(join(this.dir, "state", `${this.name}.json`), "utf8").catch(
      () => "{}",
    );
    const doc = JSON.parse(text) as Record<string, { rowsDone: number; done: boolean }>;
    return doc[`backfill/${this.table}`];
  }

  async rows(table: string): Promise<string[]> {
    const result = await this.db
      .query(`SELECT id, v, t FROM ${table} ORDER BY id`)
      .catch(() => ({ rows: [] as { id: number; v: number; t: string }[] }));
    return result.rows.map((r) => `${r.id}=${r.v}:${r.t}`);
  }

  sourceRows(): Promise<string[]> {
    return this.rows(this.table);
  }

  targetRows(): Promise<string[]> {
    return this.rows(`${this.target}.${this.name}`);
  }

  async cleanup(): Promise<void> {
    await dropSlot(this.db, this.slot).catch(() => undefined);
    await this.db.query(`DROP PUBLICATION IF EXISTS ${this.slot}`).catch(() => undefined);
    await this.db.query(`DROP TABLE IF EXISTS ${this.table}`).catch(() => undefined);
    await this.db.query(`DROP SCHEMA IF EXISTS ${this.target} CASCADE`).catch(() => undefined);
    await this.db.end().catch(() => undefined);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

/** Random updates, deletes and inserts on the source while a backfill runs; bounded by count. */
export async function churn(
  db: pg.Client,
  table: string,
  rows: number,
  transactions: number,
): Promise<void> {
  for (let i = 0; i < transactions; i++) {
    const id = 1 + Math.floor(Math.random() * rows);
    await db.query("BEGIN");
    await db.query(`UPDATE ${table} SET v = v + 1, t = 'upd ' || $2 WHERE id = $1`, [id, i]);
    await db.query(`DELETE FROM ${table} WHERE id = $1`, [((id * 7) % rows) + 1]);
    await db.query(
      `INSERT INTO ${table} (id, v, t) VALUES ($1, 1, 'new') ON CONFLICT (id) DO UPDATE SET v = ${table}.v + 10`,
      [rows + 1 + (i % 500)],
    );
    await db.query("COMMIT");
  }
}
