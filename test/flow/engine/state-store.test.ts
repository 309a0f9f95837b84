import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import pg from "pg";
import { FileStateStore } from "../../../src/flow/state/file-store.ts";
import { PgStateStore } from "../../../src/flow/state/pg-store.ts";
import {
  listBackfill,
  loadBackfill,
  loadCheckpoint,
  loadStatus,
  type StateStore,
  saveBackfill,
  saveCheckpoint,
  saveStatus,
} from "../../../src/flow/state/store.ts";

const PG_URL = process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function contract(store: StateStore, reopen: () => StateStore): Promise<void> {
  assert.equal(await loadCheckpoint(store, "f", "hook"), undefined);
  await saveCheckpoint(store, "f", "hook", 0x16b374d848n);
  await saveCheckpoint(store, "f", "hook", 0x16b374d849n);
  await saveBackfill(store, "f", {
    table: "public.a",
    lastKey: { id: 7 },
    rowsDone: 7,
    rowsTotal: 10,
    done: false,
  });
  await saveBackfill(store, "f", {
    table: "public.b",
    lastKey: null,
    rowsDone: 0,
    rowsTotal: 0,
    done: true,
  });
  await saveBackfill(store, "other", {
    table: "public.c",
    lastKey: null,
    rowsDone: 0,
    rowsTotal: 1,
    done: false,
  });
  await saveStatus(store, "f", {
    state: "running",
    updatedAtMs: 1,
    ackedLsn: "0/1",
    lagSeconds: null,
    sinks: {},
    error: null,
  });
  await store.close();
  const again = reopen();
  await again.open();
  try {
    assert.equal(
      await loadCheckpoint(again, "f", "hook"),
      0x16b374d849n,
      "the last write wins and survives",
    );
    assert.deepEqual((await loadBackfill(again, "f", "public.a"))?.lastKey, { id: 7 });
    assert.deepEqual(
      (await listBackfill(again, "f")).map((p) => p.table),
      ["public.a", "public.b"],
      "list is per flow",
    );
    assert.equal((await loadStatus(again, "f"))?.state, "running");
    await again.delete("f", "status");
    assert.equal(await loadStatus(again, "f"), undefined);
  } finally {
    await again.close();
  }
}

test("file state: values survive a reopen; writes are atomic renames", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sophia-state-"));
  try {
    const store = new FileStateStore(join(dir, "state"));
    await store.open();
    await contract(store, () => new FileStateStore(join(dir, "state")));
    assert.deepEqual(
      await readdir(join(dir, "state")),
      ["f.json", "other.json"],
      "no temp files left",
    );
    JSON.parse(await readFile(join(dir, "state", "f.json"), "utf8"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("file state: many concurrent writes end with the last value", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sophia-state-"));
  try {
    const store = new FileStateStore(dir);
    await store.open();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => saveCheckpoint(store, "f", "s", BigInt(i + 1))),
    );
    await store.close();
    const fresh = new FileStateStore(dir);
    assert.equal(await loadCheckpoint(fresh, "f", "s"), 50n);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("postgres state: values survive a reopen, in the schema asked for", async () => {
  const schema = `sophia_flow_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const store = new PgStateStore(PG_URL, schema);
    await store.open();
    await store.open(); // idempotent
    await contract(store, () => new PgStateStore(PG_URL, schema));
    const rows = await admin.query(
      `SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(schema)}.state`,
    );
    assert.equal(rows.rows[0].n, 4);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await admin.end();
  }
});
