import assert from "node:assert/strict";
import { test } from "node:test";
import { openCapture } from "../../../src/flow/capture/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { collect, fixture } from "./support.ts";

test("insert, update, delete and truncate arrive in order with keys, rows and commit positions", async () => {
  const fx = await fixture(
    (t) => `CREATE TABLE ${t} (id int PRIMARY KEY, name text, n bigint, price numeric, ok boolean,
      meta jsonb, tags text[], nums int[], at timestamptz, f float8)`,
  );
  const stream = await openCapture(fx.options(), silentLogger());
  try {
    await fx.db.query(
      `INSERT INTO ${fx.table} VALUES (1, 'a', 9007199254740993, 1.50, true, '{"x":[1,2]}', '{"p,q",r}', '{1,NULL,3}', '2024-01-02 03:04:05.5+00', 0.25)`,
    );
    await fx.db.query(`UPDATE ${fx.table} SET name = 'b' WHERE id = 1`);
    await fx.db.query(`DELETE FROM ${fx.table} WHERE id = 1`);
    await fx.db.query(`TRUNCATE ${fx.table}`);
    const { events, batches } = await collect(stream, 4, { ack: true });
    assert.deepEqual(
      events.map((e) => e.op),
      ["insert", "update", "delete", "truncate"],
    );
    const [insert, update, remove, truncate] = events;
    assert.deepEqual(insert?.after, {
      id: 1,
      name: "a",
      n: "9007199254740993",
      price: "1.50",
      ok: true,
      meta: { x: [1, 2] },
      tags: ["p,q", "r"],
      nums: [1, null, 3],
      at: "2024-01-02T03:04:05.5Z",
      f: 0.25,
    });
    assert.deepEqual(insert?.key, { id: 1 });
    assert.equal(insert?.source.table, fx.name);
    assert.equal(insert?.source.schema, "public");
    assert.equal(insert?.source.seq, 0);
    assert.equal(update?.after?.name, "b");
    assert.equal(update?.before, null);
    assert.equal(update?.previousKey, undefined);
    assert.deepEqual(remove?.key, { id: 1 });
    assert.deepEqual(remove?.before, { id: 1 });
    assert.equal(remove?.after, null);
    assert.equal(truncate?.after, null);
    // Four transactions: commit positions strictly increase, and every batch ends at a commit.
    const lsns = events.map((e) => e.source.commitLsn);
    assert.ok(lsns.every((lsn, i) => i === 0 || lsn > (lsns[i - 1] as bigint)));
    assert.ok(batches.every((b) => b.checkpoint !== undefined));
    const last = batches.at(-1)?.checkpoint as bigint;
    assert.ok(last >= (lsns[3] as bigint), "checkpoint is at or after the last event's commit");
  } finally {
    await stream.stop();
    await fx.cleanup();
  }
});
