import assert from "node:assert/strict";
import { test } from "node:test";
import type pg from "pg";
import { openCapture } from "../../../src/flow/capture/index.ts";
import { checkWalLevel } from "../../../src/flow/capture/preflight.ts";
import { isSophiaError, type SophiaError } from "../../../src/shared/errors.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { fixture } from "./support.ts";

async function rejection(promise: Promise<unknown>): Promise<SophiaError> {
  try {
    await promise;
  } catch (error) {
    if (isSophiaError(error)) return error;
    throw error;
  }
  assert.fail("expected a rejection");
}

test("a table without primary key is refused with the statement to run", async () => {
  const fx = await fixture((t) => `CREATE TABLE ${t} (id int, name text)`);
  try {
    const error = await rejection(openCapture(fx.options(), silentLogger()));
    assert.equal(error.code, "FLOW_SOURCE_NOT_READY");
    assert.match(error.message, new RegExp(`${fx.name} has no primary key`));
    assert.match(
      error.hint ?? "",
      /ALTER TABLE "public"\."flowcap_\w+" REPLICA IDENTITY FULL; or add a primary key/,
    );
    await fx.db.query(`ALTER TABLE ${fx.table} REPLICA IDENTITY FULL`);
    const stream = await openCapture(fx.options(), silentLogger());
    await stream.stop();
  } finally {
    await fx.cleanup();
  }
});

test("a missing table is named", async () => {
  const fx = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY)`);
  try {
    const error = await rejection(
      openCapture(fx.options({ tables: [{ table: `public.${fx.name}_nope` }] }), silentLogger()),
    );
    assert.equal(error.code, "FLOW_SOURCE_NOT_READY");
    assert.match(error.message, /_nope does not exist/);
  } finally {
    await fx.cleanup();
  }
});

test("wal_level check: the message says what to run (fake server answer)", async () => {
  // This server has wal_level=logical; the check is given a client whose SHOW answers 'replica'.
  const fake = {
    query: async () => ({ rows: [{ wal_level: "replica" }] }),
  } as unknown as pg.ClientBase;
  const error = await rejection(checkWalLevel(fake));
  assert.equal(error.code, "FLOW_SOURCE_NOT_READY");
  assert.match(error.message, /wal_level is 'replica'/);
  assert.equal(error.hint, "run: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL");
});

test("a slot in use by another connection: FLOW_SLOT_IN_USE naming the pid", async () => {
  const fx = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY)`);
  const first = await openCapture(fx.options(), silentLogger());
  try {
    const { rows } = await fx.db.query<{ pid: number }>(
      "SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1",
      [fx.name],
    );
    const error = await rejection(openCapture(fx.options(), silentLogger()));
    assert.equal(error.code, "FLOW_SLOT_IN_USE");
    assert.match(error.message, new RegExp(`pid ${rows[0]?.pid}`));
  } finally {
    await first.stop();
    await fx.cleanup();
  }
});

test("an existing publication that differs is altered to the flow's tables", async () => {
  const fx = await fixture(
    (t) =>
      `CREATE TABLE ${t} (id int PRIMARY KEY, a text, b text); CREATE TABLE ${t}_x (id int PRIMARY KEY)`,
  );
  try {
    await fx.db.query(`CREATE PUBLICATION ${fx.name} FOR TABLE ${fx.table}_x`);
    const stream = await openCapture(
      fx.options({ tables: [{ table: fx.table, columns: ["a"] }] }),
      silentLogger(),
    );
    await stream.stop();
    const { rows } = await fx.db.query<{ name: string; cols: string[] }>(
      "SELECT tablename AS name, attnames::text[] AS cols FROM pg_publication_tables WHERE pubname = $1",
      [fx.name],
    );
    assert.deepEqual(rows, [{ name: fx.name, cols: ["id", "a"] }]);
  } finally {
    await fx.db.query(`DROP TABLE IF EXISTS ${fx.table}_x`);
    await fx.cleanup();
  }
});
