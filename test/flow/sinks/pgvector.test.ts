/**
 * The pgvector sink against the real PostgreSQL. This machine may lack the
 * pgvector extension: the same SQL then runs with `columnType: real[]`, and
 * the `vector` tests skip saying why.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import type { Chunk } from "../../../src/flow/events.ts";
import { createPgvectorSink, pgvectorSinkOptions } from "../../../src/flow/sinks/index.ts";
import { isSophiaError } from "../../../src/shared/errors.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { batch, event } from "./support/events.ts";
import { createSchema, PG_URL, type TestSchema } from "./support/pg.ts";

const logger = silentLogger();

async function pgvectorAvailable(): Promise<boolean> {
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  try {
    const result = await db.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    return result.rowCount === 1;
  } finally {
    await db.end();
  }
}

const available = await pgvectorAvailable();
const NO_PGVECTOR =
  "pgvector is not installed on this PostgreSQL (apt-get install postgresql-15-pgvector)";

function chunks(texts: string[], seed: number): Chunk[] {
  return texts.map((text, index) => ({
    index,
    text,
    embedding: [seed, index, 0.5],
    contentHash: `h${seed}`,
  }));
}

const doc = (id: number, lsn: bigint, texts: string[], seq = 0) =>
  event({
    op: "insert",
    key: { id },
    after: { id, body: texts.join(" "), lang: "en" },
    lsn,
    seq,
    chunks: chunks(texts, Number(lsn)),
  });

for (const columnType of ["real[]", "vector"] as const) {
  describe(`pgvector sink (columnType ${columnType})`, {
    skip: columnType === "vector" && !available ? NO_PGVECTOR : false,
  }, () => {
    let schema: TestSchema;
    const options = () =>
      pgvectorSinkOptions.parse({
        kind: "pgvector",
        connectionString: PG_URL,
        schema: schema.name,
        dimensions: 3,
        textColumns: ["body"],
        columnType,
      });
    let sink: ReturnType<typeof createPgvectorSink>;
    before(async () => {
      schema = await createSchema("pgvec");
      sink = createPgvectorSink("vectors", options(), { logger, flow: "f" });
      await sink.start();
    });
    after(async () => {
      await sink.stop();
      await schema.drop();
    });

    async function rows() {
      const result = await schema.db.query(
        `SELECT key, chunk_index, content, embedding::text AS embedding, metadata, lsn::text AS lsn
         FROM ${schema.name}.sophia_embeddings ORDER BY source_table, key, chunk_index`,
      );
      return result.rows as Array<{
        key: string;
        chunk_index: number;
        content: string | null;
        embedding: string | null;
        metadata: unknown;
        lsn: string;
      }>;
    }

    test("chunks per key, trimmed when fewer, metadata without the text, one null chunk without embeddings", async () => {
      await sink.write(batch([doc(1, 0x10n, ["a", "b", "c"]), doc(2, 0x10n, ["x"], 1)]));
      assert.deepEqual(
        (await rows()).map((r) => [r.key, r.chunk_index, r.content]),
        [
          ['{"id":1}', 0, "a"],
          ['{"id":1}', 1, "b"],
          ['{"id":1}', 2, "c"],
          ['{"id":2}', 0, "x"],
        ],
      );
      assert.deepEqual((await rows())[0]!.metadata, { id: 1, lang: "en" });
      await sink.write(batch([doc(1, 0x20n, ["a2"])]));
      await sink.write(
        batch([event({ op: "insert", key: { id: 3 }, after: { id: 3, lang: "de" }, lsn: 0x30n })]),
      );
      const now = await rows();
      assert.deepEqual(
        now.map((r) => [r.key, r.chunk_index, r.content, r.embedding === null]),
        [
          ['{"id":1}', 0, "a2", false],
          ['{"id":2}', 0, "x", false],
          ['{"id":3}', 0, null, true],
        ],
      );
      assert.equal(await sink.storedCheckpoint?.(), 0x30n);
    });

    test("chunksUnchanged updates metadata only; delete removes every chunk; truncate the table's rows", async () => {
      await sink.write(batch([doc(4, 0x40n, ["p", "q"])]));
      await sink.write(
        batch([
          event({
            op: "update",
            key: { id: 4 },
            after: { id: 4, body: "p q", lang: "fr" },
            lsn: 0x50n,
            chunksUnchanged: true,
          }),
        ]),
      );
      const four = (await rows()).filter((r) => r.key === '{"id":4}');
      assert.deepEqual(
        four.map((r) => [r.content, r.metadata, r.lsn]),
        [
          ["p", { id: 4, lang: "fr" }, "0/50"],
          ["q", { id: 4, lang: "fr" }, "0/50"],
        ],
      );
      await sink.write(batch([event({ op: "delete", key: { id: 4 }, lsn: 0x60n })]));
      assert.equal((await rows()).filter((r) => r.key === '{"id":4}').length, 0);
      await sink.write(
        batch([doc(9, 0x70n, ["o"]), { ...doc(9, 0x70n, ["o"], 1), key: { id: 10 } }]),
      );
      await sink.write(batch([event({ op: "truncate", key: {}, lsn: 0x80n })]));
      assert.deepEqual(await rows(), []);
    });

    test("replaying an older batch after a newer one changes nothing", async () => {
      const older = batch([doc(5, 0x100n, ["one", "two", "three"])]);
      const newer = batch([
        doc(5, 0x110n, ["only"]),
        event({ op: "delete", key: { id: 6 }, lsn: 0x110n, seq: 1 }),
      ]);
      await sink.write(older);
      await sink.write(newer);
      const expected = await rows();
      await sink.write(older);
      assert.deepEqual(await rows(), expected);
      assert.deepEqual(
        expected.map((r) => r.content),
        ["only"],
      );
    });

    test("a failing statement leaves nothing half-written, and the checkpoint unchanged", async () => {
      const beforeRows = await rows();
      const wrong = doc(7, 0x200n, ["bad"]);
      wrong.chunks![0]!.embedding = [1, 2]; // wrong dimensions: caught before SQL
      await assert.rejects(sink.write(batch([doc(8, 0x200n, ["fine"]), wrong])), (e) =>
        isSophiaError(e, "FLOW_SINK_FAILED"),
      );
      // A constraint fails the insert inside PostgreSQL, after the delete statement ran.
      const broken = batch([
        doc(8, 0x210n, ["fine"]),
        event({ op: "delete", key: { id: 5 }, lsn: 0x210n, seq: 1 }),
      ]);
      await schema.db.query(
        `ALTER TABLE ${schema.name}.sophia_embeddings ADD CONSTRAINT no_fine CHECK (content IS DISTINCT FROM 'fine')`,
      );
      try {
        await assert.rejects(sink.write(broken), (e) => isSophiaError(e, "FLOW_SINK_FAILED"));
      } finally {
        await schema.db.query(
          `ALTER TABLE ${schema.name}.sophia_embeddings DROP CONSTRAINT no_fine`,
        );
      }
      assert.deepEqual(
        await rows(),
        beforeRows,
        "the delete of key 5 was rolled back with the failing insert",
      );
      assert.equal(await sink.storedCheckpoint?.(), 0x110n);
    });
  });
}

test("without pgvector, start fails naming the fix", {
  skip: available ? "pgvector is installed here" : false,
}, async () => {
  const schema = await createSchema("pgvecmissing");
  const sink = createPgvectorSink(
    "vectors",
    pgvectorSinkOptions.parse({
      kind: "pgvector",
      connectionString: PG_URL,
      schema: schema.name,
      dimensions: 3,
    }),
    { logger, flow: "f" },
  );
  try {
    await assert.rejects(sink.start(), (error) => {
      assert.ok(isSophiaError(error, "FLOW_SINK_FAILED"));
      assert.match(error.message, /pgvector extension is not installed/);
      assert.match(error.hint ?? "", /postgresql-15-pgvector/);
      return true;
    });
  } finally {
    await sink.stop();
    await schema.drop();
  }
});
