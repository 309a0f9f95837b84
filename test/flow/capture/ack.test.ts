import assert from "node:assert/strict";
import { test } from "node:test";
import { openCapture } from "../../../src/flow/capture/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { collect, confirmedFlush, fixture, PG_URL, sleep } from "./support.ts";

test("ack safety: unacknowledged transactions are delivered again after stop and reopen, acknowledged ones are not", async () => {
  const fx = await fixture((t) => `CREATE TABLE ${t} (id int PRIMARY KEY)`);
  const options = fx.options({ batchSize: 1 });
  let stream = await openCapture(options, silentLogger());
  try {
    for (const id of [1, 2, 3]) await fx.db.query(`INSERT INTO ${fx.table} VALUES (${id})`);
    const first = await collect(stream, 3);
    assert.deepEqual(
      first.events.map((e) => e.key.id),
      [1, 2, 3],
    );
    stream.acknowledge(first.batches[0]?.checkpoint as bigint);
    await stream.stop();
    stream = await openCapture(options, silentLogger());
    const again = await collect(stream, 2);
    assert.deepEqual(
      again.events.map((e) => e.key.id),
      [2, 3],
      "row 1 was acknowledged; 2 and 3 come again",
    );
    assert.deepEqual(
      again.events.map((e) => e.source.commitLsn),
      first.events.slice(1).map((e) => e.source.commitLsn),
      "redelivered events keep their identity",
    );
  } finally {
    await stream.stop();
    await fx.cleanup();
  }
});

test("keepalives and periodic status never move confirmed_flush_lsn past the acknowledged position", async () => {
  const fx = await fixture(
    (t) => `CREATE TABLE ${t} (id int PRIMARY KEY); CREATE TABLE ${t}_other (id int)`,
  );
  // A short wal_sender_timeout makes the server ask for replies (keepalive with replyRequested) every second.
  const url = `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}options=${encodeURIComponent("-c wal_sender_timeout=2000")}`;
  const stream = await openCapture(
    fx.options({ connectionString: url, batchSize: 1 }),
    silentLogger(),
  );
  try {
    const start = await confirmedFlush(fx.db, fx.name);
    await fx.db.query(`INSERT INTO ${fx.table} VALUES (1)`);
    await fx.db.query(`INSERT INTO ${fx.table} VALUES (2)`);
    const got = await collect(stream, 2);
    const firstCheckpoint = got.batches[0]?.checkpoint as bigint;
    // WAL traffic outside the publication and time for several keepalive rounds.
    for (let i = 0; i < 6; i++) {
      await fx.db.query(`INSERT INTO ${fx.table}_other VALUES (${i})`);
      await sleep(500);
    }
    assert.equal(
      await confirmedFlush(fx.db, fx.name),
      start,
      "nothing acknowledged: the slot has not moved",
    );
    stream.acknowledge(firstCheckpoint);
    await sleep(1500);
    assert.equal(
      await confirmedFlush(fx.db, fx.name),
      firstCheckpoint,
      "moved exactly to the acknowledged position",
    );
    assert.ok((got.batches[1]?.checkpoint as bigint) > firstCheckpoint);
  } finally {
    await stream.stop();
    await fx.db.query(`DROP TABLE IF EXISTS ${fx.table}_other`);
    await fx.cleanup();
  }
});

test("heartbeat: an idle publication beside a busy database still advances its slot", async () => {
  const fx = await fixture(
    (t) => `CREATE TABLE ${t} (id int PRIMARY KEY); CREATE TABLE ${t}_busy (id int)`,
  );
  const stream = await openCapture(fx.options({ heartbeatMs: 300 }), silentLogger());
  try {
    const start = await confirmedFlush(fx.db, fx.name);
    await fx.db.query(`INSERT INTO ${fx.table}_busy SELECT generate_series(1, 1000)`);
    const batch = await collect(stream, 0);
    assert.equal(batch.batches.length, 0);
    const next = await stream.next();
    assert.deepEqual(next?.events, [], "the heartbeat's transaction is an empty batch");
    const checkpoint = next?.checkpoint as bigint;
    assert.ok(checkpoint > start);
    stream.acknowledge(checkpoint);
    let flushed = start;
    for (let i = 0; i < 40 && flushed < checkpoint; i++) {
      await sleep(100);
      flushed = await confirmedFlush(fx.db, fx.name);
    }
    assert.equal(flushed, checkpoint);
  } finally {
    await stream.stop();
    await fx.db.query(`DROP TABLE IF EXISTS ${fx.table}_busy`);
    await fx.cleanup();
  }
});
