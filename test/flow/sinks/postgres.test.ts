import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Sink } from "../../../src/flow/sink.ts";
import { createPostgresSink, postgresSinkOptions } from "../../../src/flow/sinks/index.ts";
import { isSophiaError } from "../../../src/shared/errors.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { batch, event } from "./support/events.ts";
import { createSchema, PG_URL, type TestSchema } from "./support/pg.ts";

const logger = silentLogger();
let schema: TestSchema;
let sink: Sink;

before(async () => {
  schema = await createSchema("pgsink");
  await schema.db.query(
    `CREATE TABLE ${schema.name}.items (id int PRIMARY KEY, v text, n int, doc jsonb)`,
  );
  sink = createPostgresSink(
    "replica",
    postgresSinkOptions.parse({ kind: "postgres", connectionString: PG_URL, schema: schema.name }),
    { logger, flow: "f" },
  );
  await sink.start();
});
after(async () => {
  await sink.stop();
  await schema.drop();
});

async function rows(): Promise<unknown[]> {
  const result = await schema.db.query(
    `SELECT id, v, n, doc FROM ${schema.name}.items ORDER BY id`,
  );
  return result.rows;
}

describe("postgres replica sink", () => {
  test("insert, update, TOAST-unchanged update, delete and truncate; checkpoint stored with the rows", async () => {
    await sink.write(
      batch([
        event({
          op: "insert",
          key: { id: 1 },
          after: { id: 1, v: "big", n: 1, doc: { a: [1, 2] } },
          lsn: 0x10n,
        }),
        event({
          op: "insert",
          key: { id: 2 },
          after: { id: 2, v: "two", n: 2, doc: null },
          lsn: 0x10n,
          seq: 1,
        }),
      ]),
    );
    // v is unchanged TOAST: it is absent from `after` and must keep its stored value.
    await sink.write(
      batch([
        event({
          op: "update",
          key: { id: 1 },
          after: { id: 1, n: 10, doc: null },
          unchanged: ["v"],
          lsn: 0x20n,
        }),
      ]),
    );
    await sink.write(batch([event({ op: "delete", key: { id: 2 }, lsn: 0x30n })]));
    assert.deepEqual(await rows(), [{ id: 1, v: "big", n: 10, doc: null }]);
    assert.equal(await sink.storedCheckpoint?.(), 0x30n);
    await sink.write(batch([event({ op: "truncate", key: {}, lsn: 0x40n })]));
    assert.deepEqual(await rows(), []);
    assert.equal(await sink.storedCheckpoint?.(), 0x40n);
  });

  test("replaying an older batch after a newer one changes nothing", async () => {
    const older = batch([
      event({ op: "insert", key: { id: 5 }, after: { id: 5, v: "old", n: 1 }, lsn: 0x100n }),
    ]);
    const newer = batch([
      event({ op: "update", key: { id: 5 }, after: { id: 5, v: "new", n: 2 }, lsn: 0x110n }),
      event({
        op: "insert",
        key: { id: 6 },
        after: { id: 6, v: "six", n: 6 },
        lsn: 0x110n,
        seq: 1,
      }),
      event({ op: "delete", key: { id: 6 }, lsn: 0x120n }),
    ]);
    await sink.write(older);
    await sink.write(newer);
    const expected = await rows();
    await sink.write(older);
    await sink.write(newer);
    assert.deepEqual(await rows(), expected);
    assert.deepEqual(expected, [{ id: 5, v: "new", n: 2, doc: null }]);
    assert.equal(await sink.storedCheckpoint?.(), 0x120n);
  });

  test("a batch without a checkpoint (mid-transaction) leaves the stored checkpoint alone", async () => {
    await sink.write({
      events: [
        event({ op: "insert", key: { id: 7 }, after: { id: 7, v: "x", n: 0 }, lsn: 0x200n }),
      ],
      checkpoint: undefined,
    });
    assert.equal(await sink.storedCheckpoint?.(), 0x120n);
    await sink.write(batch([event({ op: "delete", key: { id: 7 }, lsn: 0x200n, seq: 1 })]));
    assert.equal(await sink.storedCheckpoint?.(), 0x200n);
  });

  test("a statement failing in the middle of a batch leaves nothing half-written", async () => {
    const before = await rows();
    const failing = batch([
      event({ op: "insert", key: { id: 8 }, after: { id: 8, v: "eight", n: 8 }, lsn: 0x300n }),
      // n is an int column: this row fails inside the same transaction.
      event({
        op: "insert",
        key: { id: 9 },
        after: { id: 9, v: "nine", n: "not a number" },
        lsn: 0x300n,
        seq: 1,
      }),
    ]);
    await assert.rejects(sink.write(failing), (error) => isSophiaError(error, "FLOW_SINK_FAILED"));
    assert.deepEqual(await rows(), before);
    assert.equal(await sink.storedCheckpoint?.(), 0x200n);
  });

  test("a missing target table is an error naming the fix; createTable copies the source's columns", async () => {
    const event1 = event({
      op: "insert",
      key: { id: 1 },
      after: { id: 1, label: "x" },
      lsn: 0x400n,
      table: "other",
      schema: schema.name,
    });
    await assert.rejects(sink.write(batch([event1])), /does not exist.*|createTable/);
    await schema.db.query(
      `CREATE TABLE ${schema.name}.other (id bigint PRIMARY KEY, label varchar(20))`,
    );
    const creating = createPostgresSink(
      "creator",
      postgresSinkOptions.parse({
        kind: "postgres",
        connectionString: PG_URL,
        schema: schema.name,
        table: "{table}_copy",
        createTable: true,
      }),
      { logger, flow: "f", sourceConnectionString: PG_URL },
    );
    await creating.start();
    try {
      await creating.write(batch([event1]));
      const copy = await schema.db.query(
        `SELECT id, label, _sophia_lsn::text AS lsn FROM ${schema.name}.other_copy`,
      );
      assert.deepEqual(copy.rows, [{ id: "1", label: "x", lsn: "0/400" }]);
    } finally {
      await creating.stop();
    }
  });
});
