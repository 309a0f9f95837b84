import assert from "node:assert/strict";
import { test } from "node:test";
import { openCapture } from "../../../src/flow/capture/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { collect, fixture } from "./support.ts";

const BIG = "x".repeat(20_000); // stored out of line (TOAST), so an update that leaves it alone does not send it

for (const identity of ["DEFAULT", "FULL"] as const) {
  test(`unchanged TOAST value with REPLICA IDENTITY ${identity}: never a placeholder`, async () => {
    const fx = await fixture(
      (t) => `CREATE TABLE ${t} (id int PRIMARY KEY, body text, n int);
      ALTER TABLE ${t} ALTER COLUMN body SET STORAGE EXTERNAL; ALTER TABLE ${t} REPLICA IDENTITY ${identity}`,
    );
    const stream = await openCapture(fx.options(), silentLogger());
    try {
      await fx.db.query(`INSERT INTO ${fx.table} VALUES (1, $1, 0)`, [BIG]);
      await fx.db.query(`UPDATE ${fx.table} SET n = 1 WHERE id = 1`);
      const { events } = await collect(stream, 2, { ack: true });
      const update = events[1];
      assert.equal(update?.op, "update");
      assert.equal(update?.after?.n, 1);
      assert.deepEqual(update?.key, { id: 1 });
      if (identity === "FULL") {
        assert.equal(update?.after?.body, BIG, "merged from the old row PostgreSQL sent");
        assert.equal(update?.unchanged, undefined);
        assert.equal(update?.before?.body, BIG);
      } else {
        assert.equal(Object.hasOwn(update?.after ?? {}, "body"), false);
        assert.deepEqual(update?.unchanged, ["body"]);
      }
    } finally {
      await stream.stop();
      await fx.cleanup();
    }
  });
}

test("primary key change: update with previousKey", async () => {
  const fx = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, name text)`);
  const stream = await openCapture(fx.options(), silentLogger());
  try {
    await fx.db.query(`INSERT INTO ${fx.table} VALUES (1, 'a')`);
    await fx.db.query(`UPDATE ${fx.table} SET id = 2 WHERE id = 1`);
    const { events } = await collect(stream, 2, { ack: true });
    assert.equal(events[1]?.op, "update");
    assert.deepEqual(events[1]?.key, { id: 2 });
    assert.deepEqual(events[1]?.previousKey, { id: 1 });
    assert.deepEqual(events[1]?.after, { id: 2, name: "a" });
  } finally {
    await stream.stop();
    await fx.cleanup();
  }
});

test("schema change mid-stream: rows after ALTER TABLE ADD COLUMN carry the new column", async () => {
  const fx = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, name text)`);
  const stream = await openCapture(fx.options(), silentLogger());
  try {
    await fx.db.query(`INSERT INTO ${fx.table} VALUES (1, 'a')`);
    await fx.db.query(`ALTER TABLE ${fx.table} ADD COLUMN score int DEFAULT 7`);
    await fx.db.query(`INSERT INTO ${fx.table} VALUES (2, 'b', 9)`);
    await fx.db.query(`UPDATE ${fx.table} SET name = 'c' WHERE id = 1`);
    const { events } = await collect(stream, 3, { ack: true });
    assert.deepEqual(events[0]?.after, { id: 1, name: "a" });
    assert.deepEqual(events[1]?.after, { id: 2, name: "b", score: 9 });
    assert.deepEqual(events[2]?.after, { id: 1, name: "c", score: 7 });
  } finally {
    await stream.stop();
    await fx.cleanup();
  }
});

test("column list and row filter: only selected columns (plus key) and matching rows", async () => {
  const fx = await fixture(
    (t) => `CREATE TABLE ${t} (id int PRIMARY KEY, name text, secret text, n int)`,
  );
  const options = fx.options({
    tables: [{ table: fx.table, columns: ["name", "n"], where: "n > 10" }],
  });
  const stream = await openCapture(options, silentLogger());
  try {
    await fx.db.query(`INSERT INTO ${fx.table} VALUES (1, 'low', 's', 5), (2, 'high', 's', 50)`);
    const { events } = await collect(stream, 1, { ack: true });
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]?.after, { id: 2, name: "high", n: 50 });
  } finally {
    await stream.stop();
    await fx.cleanup();
  }
});
