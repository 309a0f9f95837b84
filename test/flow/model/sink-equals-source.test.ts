/**
 * The end-to-end model property: any interleaving of inserts, updates,
 * deletes and primary-key changes over a few keys, in any grouping into
 * transactions, ends with the postgres-table sink equal to the source.
 * One table, slot and running flow serve every run; a TRUNCATE (captured
 * like any change) resets both sides between runs.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import pg from "pg";
import { loadConfig } from "../../../src/config/index.ts";
import { readFlows } from "../../../src/flow/config/read-flows.ts";
import { createFlowEngine } from "../../../src/flow/engine/start-flow.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { until } from "../../support/poll.ts";
import { dropSlot } from "../capture/support.ts";

const PG_URL = process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const KEYS = 6;

type Op =
  | { kind: "insert"; id: number; v: number }
  | { kind: "update"; id: number; v: number }
  | { kind: "delete"; id: number }
  | { kind: "move"; id: number; to: number };

const key = fc.integer({ min: 1, max: KEYS });
const value = fc.integer({ min: 0, max: 999 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), id: key, v: value }),
  fc.record({ kind: fc.constant("update" as const), id: key, v: value }),
  fc.record({ kind: fc.constant("delete" as const), id: key }),
  fc.record({ kind: fc.constant("move" as const), id: key, to: key }),
);
/** Operations cut into transactions: each inner array commits together. */
const transactions = fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 6,
}); // at most 36 operations per run

/** Statements that never fail, so every generated sequence applies. */
function statement(table: string, o: Op): [string, unknown[]] {
  switch (o.kind) {
    case "insert":
      return [
        `INSERT INTO ${table} (id, v, t) VALUES ($1, $2, 'i') ON CONFLICT (id) DO NOTHING`,
        [o.id, o.v],
      ];
    case "update":
      return [`UPDATE ${table} SET v = $2, t = t || 'u' WHERE id = $1`, [o.id, o.v]];
    case "delete":
      return [`DELETE FROM ${table} WHERE id = $1`, [o.id]];
    case "move":
      return [
        `UPDATE ${table} SET id = $2, t = t || 'm' WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM ${table} WHERE id = $2)`,
        [o.id, o.to],
      ];
  }
}

test("random insert/update/delete/PK-change interleavings end with the sink equal to the source", {
  timeout: 300_000,
}, async () => {
  const name = `model_${randomBytes(4).toString("hex")}`;
  const table = `public.${name}`;
  const target = `${name}_target.${name}`;
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  const dir = await mkdtemp(join(tmpdir(), "sophia-model-"));
  let engine: Awaited<ReturnType<typeof createFlowEngine>> | undefined;
  let running: Promise<void> | undefined;
  try {
    await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, v int NOT NULL, t text NOT NULL)`);
    await db.query(`CREATE SCHEMA ${name}_target`);
    await writeFile(
      join(dir, "sophia.yaml"),
      `flows:
  ${name}:
    source: { postgres: "${PG_URL}", tables: [${table}] }
    sinks: { copy: { postgres: { connectionString: "${PG_URL}", schema: ${name}_target, createTable: true } } }
    batch: { size: 7, maxWait: 2ms }
    state: { dir: "${join(dir, "state")}" }
`,
    );
    const [spec] = readFlows(
      await loadConfig({ file: join(dir, "sophia.yaml"), cwd: dir, env: {} }),
    );
    assert.ok(spec);
    engine = await createFlowEngine(spec, { config: undefined, cwd: dir, logger: silentLogger() });
    running = engine.run();
    const rows = async (t: string) =>
      JSON.stringify(
        (await db.query(`SELECT id, v, t FROM ${t} ORDER BY id`).catch(() => ({ rows: [] }))).rows,
      );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(transactions, async (txs) => {
        runs++;
        await db.query(`TRUNCATE ${table}`);
        for (const tx of txs) {
          await db.query("BEGIN");
          for (const o of tx) await db.query(...statement(table, o));
          await db.query("COMMIT");
        }
        // A marker row that no generated key can touch: once it is in the sink, everything before it is too.
        await db.query(`INSERT INTO ${table} (id, v, t) VALUES (0, $1, 'end')`, [runs]);
        const source = await rows(table);
        await until(
          "the marker to reach the sink",
          async () =>
            (
              await db
                .query(`SELECT 1 FROM ${target} WHERE id = 0 AND v = $1`, [runs])
                .catch(() => ({ rowCount: 0 }))
            ).rowCount
              ? true
              : undefined,
          { timeoutMs: 20_000, everyMs: 10 },
        );
        assert.equal(await rows(target), source);
      }),
      { numRuns: 15, endOnFailure: true },
    );
    assert.equal(runs, 15);
  } finally {
    await engine?.stop();
    await running?.catch(() => undefined);
    await dropSlot(db, `sophia_${name}`).catch(() => undefined);
    await db.query(`DROP PUBLICATION IF EXISTS sophia_${name}`).catch(() => undefined);
    await db.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await db.query(`DROP SCHEMA IF EXISTS ${name}_target CASCADE`).catch(() => undefined);
    await db.end();
    await rm(dir, { recursive: true, force: true });
  }
});
