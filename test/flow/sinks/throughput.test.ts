/**
 * Rough write rates of the PostgreSQL sinks on this machine (printed, with a
 * low floor asserted so a pathological slowdown fails): inserts in batches,
 * then the same keys updated.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Sink } from "../../../src/flow/sink.ts";
import {
  createPgvectorSink,
  createPostgresSink,
  pgvectorSinkOptions,
  postgresSinkOptions,
} from "../../../src/flow/sinks/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { batch, event } from "./support/events.ts";
import { createSchema, PG_URL, type TestSchema } from "./support/pg.ts";

let schema: TestSchema;
before(async () => {
  schema = await createSchema("pgrate");
  await schema.db.query(
    `CREATE TABLE ${schema.name}.items (id int PRIMARY KEY, name text, n int, doc jsonb)`,
  );
});
after(async () => {
  await schema.drop();
});

async function rate(
  sink: Sink,
  make: (i: number, lsn: bigint) => ReturnType<typeof event>,
  ROWS = 20_000,
  BATCH = 2_000,
): Promise<number> {
  await sink.start();
  try {
    const started = performance.now();
    for (let round = 0; round < 2; round++) {
      for (let from = 0; from < ROWS; from += BATCH) {
        const lsn = BigInt(round * ROWS + from + 1) * 0x100n;
        const events = Array.from({ length: BATCH }, (_, i) => ({
          ...make(from + i, lsn),
          source: { ...make(from + i, lsn).source, seq: i },
        }));
        await sink.write(batch(events));
      }
    }
    assert.equal(await sink.storedCheckpoint?.(), BigInt(2 * ROWS - BATCH + 1) * 0x100n);
    return Math.round((2 * ROWS) / ((performance.now() - started) / 1000));
  } finally {
    await sink.stop();
  }
}

test("postgres replica sink write rate", async () => {
  const sink = createPostgresSink(
    "rate",
    postgresSinkOptions.parse({ kind: "postgres", connectionString: PG_URL, schema: schema.name }),
    { logger: silentLogger(), flow: "rate" },
  );
  const perSecond = await rate(sink, (id, lsn) =>
    event({
      op: "insert",
      key: { id },
      after: { id, name: `name ${id}`, n: Number(lsn % 1000n), doc: { a: id } },
      lsn,
    }),
  );
  console.log(`# postgres sink: ${perSecond} rows/s`);
  assert.ok(perSecond > 2000, `${perSecond} rows/s`);
});

test("pgvector sink write rate (real[] column, 3 chunks of 384 dimensions per row)", async () => {
  const sink = createPgvectorSink(
    "rate-vectors",
    pgvectorSinkOptions.parse({
      kind: "pgvector",
      connectionString: PG_URL,
      schema: schema.name,
      dimensions: 384,
      columnType: "real[]",
    }),
    { logger: silentLogger(), flow: "rate" },
  );
  const vector = Array.from({ length: 384 }, (_, i) => i / 384);
  const chunks = [0, 1, 2].map((index) => ({
    index,
    text: `chunk ${index}`,
    embedding: vector,
    contentHash: "h",
  }));
  const perSecond = await rate(
    sink,
    (id, lsn) => event({ op: "insert", key: { id }, after: { id, body: "x" }, lsn, chunks }),
    2_000,
    500,
  );
  console.log(`# pgvector sink: ${perSecond} source rows/s (${perSecond * 3} chunk rows/s)`);
  assert.ok(perSecond > 200, `${perSecond} rows/s`);
});
