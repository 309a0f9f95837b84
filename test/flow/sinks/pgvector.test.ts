/**
 * The pgvector sink against a real server. `real[]` runs on this machine's
 * PostgreSQL; `vector` runs where the extension is (the same PostgreSQL when
 * it offers pgvector, else PGlite with pgvector over the wire protocol).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import type { Chunk } from "../../../src/flow/events.ts";
import { createPgvectorSink, pgvectorSinkOptions } from "../../../src/flow/sinks/index.ts";
import { isSophiaError } from "../../../src/shared/errors.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import {
  offersPgvector,
  openPgvectorDatabase,
  type PgvectorDatabase,
} from "../../support/pgvector-db.ts";
import { batch, event, uniqueName } from "./support/events.ts";
import { PG_URL } from "./support/pg.ts";

const logger = silentLogger();
const available = await offersPgvector(PG_URL);

/** A private schema on `database`, dropped after. */
async function openSchema(database: PgvectorDatabase) {
  const name = uniqueName("pgvec");
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  await db.query(`CREATE SCHEMA ${name}`);
  return {
    name,
    db,
    async drop() {
      await db.query(`DROP SCHEMA ${name} CASCADE`);
      await db.end();
    },
  };
}

const realPostgres: PgvectorDatabase = { url: PG_URL, kind: "postgres", close: async () => {} };

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

// Opened before any test registers: node:test starts a registered test at once,
// and PGlite's start would stall it. real[] needs no extension: always this PostgreSQL.
const databases = { "real[]": realPostgres, vector: await openPgvectorDatabase() };

for (const columnType of ["real[]", "vector"] as const) {
  const database = databases[columnType];
  describe(`pgvector sink (columnType ${columnType}, on ${database.kind})`, () => {
    let schema: Awaited<ReturnType<typeof openSchema>>;
    const options = () =>
      pgvectorSinkOptions.parse({
        kind: "pgvector",
        connectionString: database.url,
        schema: schema.name,
        dimensions: 3,
        textColumns: ["body"],
        columnType,
      });
    let sink: ReturnType<typeof createPgvectorSink>;
    before(async () => {
      schema = await openSchema(database);
      sink = createPgvectorSink("vectors", options(), { logger, flow: "f" });
      await sink.start();
    });
    after(async () => {
      try {
        await sink.stop();
        await schema.drop();
      } finally {
        await database.close();
      }
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
      // The binary embeddings arrive as sent (vector and real[] print differently).
      assert.equal(now[0]!.embedding, columnType === "vector" ? "[32,0,0.5]" : "{32,0,0.5}");
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

    test("the column has the configured type; a similarity query finds the nearest chunks", async () => {
      const type = await schema.db.query<{ type: string }>(
        `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
         WHERE attrelid = '${schema.name}.sophia_embeddings'::regclass AND attname = 'embedding'`,
      );
      assert.equal(type.rows[0]?.type, columnType === "vector" ? "vector(3)" : "real[]");
      const at = (id: number, embedding: number[]) => ({
        ...doc(id, 0x300n, [`doc ${id}`], id),
        chunks: [{ index: 0, text: `doc ${id}`, embedding, contentHash: "h" }],
      });
      await sink.write(batch([at(20, [1, 0, 0]), at(21, [0, 1, 0]), at(22, [0, 0.9, 0.5])]));
      // real[] has no operator: the same Euclidean distance spelled out.
      const distance =
        columnType === "vector"
          ? "embedding <-> $1::vector"
          : "(SELECT sqrt(sum((a - b) ^ 2)) FROM unnest(embedding, $1::real[]) AS u(a, b))";
      const nearest = await schema.db.query<{ key: string; distance: number }>(
        `SELECT key, ${distance} AS distance FROM ${schema.name}.sophia_embeddings
         WHERE embedding IS NOT NULL ORDER BY 2 LIMIT 2`,
        [columnType === "vector" ? "[0.1,0.95,0.1]" : "{0.1,0.95,0.1}"],
      );
      assert.deepEqual(
        nearest.rows.map((r) => r.key),
        ['{"id":21}', '{"id":22}'],
      );
      assert.ok(Math.abs(nearest.rows[0]!.distance - Math.hypot(0.1, 0.05, 0.1)) < 1e-6);
    });
  });
}

test("without pgvector, start fails naming the fix", {
  skip: available ? "pgvector is installed here" : false,
}, async () => {
  const schema = await openSchema(realPostgres);
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
