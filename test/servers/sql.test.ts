import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import {
  type BuiltinGateway,
  callJson,
  PG_URL,
  startBuiltinGateway,
  uniqueName,
} from "./support.ts";

const schema = uniqueName("sql_builtin");
const marker = `/tmp/${schema}_pwned`;
const admin = new pg.Client({ connectionString: PG_URL });
let served: BuiltinGateway;

async function snapshot() {
  const rows = await admin.query(`SELECT id, v FROM ${schema}.t ORDER BY id`);
  const seq = await admin.query(`SELECT last_value, is_called FROM ${schema}.seq`);
  const tables = await admin.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
    [schema],
  );
  const columns = await admin.query(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 ORDER BY 1",
    [schema],
  );
  const objects = await admin.query("SELECT count(*)::int AS n FROM pg_largeobject_metadata");
  return {
    rows: rows.rows,
    seq: seq.rows,
    tables: tables.rows,
    columns: columns.rows,
    largeObjects: objects.rows,
  };
}

before(async () => {
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.t (id int PRIMARY KEY, v text NOT NULL DEFAULT 'x')`);
  await admin.query(`COMMENT ON COLUMN ${schema}.t.v IS 'the value'`);
  await admin.query(`INSERT INTO ${schema}.t SELECT g, 'row ' || g FROM generate_series(1, 10) g`);
  await admin.query(`CREATE SEQUENCE ${schema}.seq`);
  await admin.query(`CREATE FUNCTION ${schema}.sneaky() RETURNS int VOLATILE LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO ${schema}.t VALUES (999, 'sneaked'); RETURN 1; END $$`);
  served = await startBuiltinGateway({
    sql: {
      builtin: "sql",
      options: { connectionString: PG_URL, rowLimit: 3, timeout: "300ms", schemas: [schema] },
    },
  });
});

after(async () => {
  await served?.stop();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe("sql built-in through the gateway", () => {
  test("query: params, row limit and truncation", async () => {
    const { isError, value } = await callJson(served.client, "sql__query", {
      sql: `SELECT id, v FROM ${schema}.t WHERE id > $1 ORDER BY id;`,
      params: [5],
    });
    assert.equal(isError, false);
    assert.deepEqual(value, {
      columns: ["id", "v"],
      rows: [
        { id: 6, v: "row 6" },
        { id: 7, v: "row 7" },
        { id: 8, v: "row 8" },
      ],
      rowCount: 3,
      truncated: true,
    });
    const exact = await callJson(served.client, "sql__query", {
      sql: `SELECT count(*)::int AS n FROM ${schema}.t`,
    });
    assert.deepEqual(exact.value, {
      columns: ["n"],
      rows: [{ n: 10 }],
      rowCount: 1,
      truncated: false,
    });
  });

  test("list_tables and describe_table", async () => {
    const tables = await callJson(served.client, "sql__list_tables", {});
    assert.deepEqual(
      (tables.value as { tables: { schema: string; name: string; type: string }[] }).tables.map(
        (t) => `${t.schema}.${t.name}:${t.type}`,
      ),
      [`${schema}.t:table`],
    );
    const described = await callJson(served.client, "sql__describe_table", {
      table: `${schema}.t`,
    });
    assert.deepEqual(described.value, {
      schema,
      name: "t",
      columns: [
        {
          name: "id",
          type: "integer",
          nullable: false,
          default: null,
          primaryKey: true,
          comment: null,
        },
        {
          name: "v",
          type: "text",
          nullable: false,
          default: "'x'::text",
          primaryKey: false,
          comment: "the value",
        },
      ],
    });
    const missing = await callJson(served.client, "sql__describe_table", { table: "pg_class" });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /no table or view "pg_class"/);
  });

  test("a query past the time limit is stopped", async () => {
    const slow = await callJson(served.client, "sql__query", { sql: "SELECT pg_sleep(3)" });
    assert.equal(slow.isError, true);
    assert.match(slow.text, /time limit/);
  });

  test("every write is refused and nothing changed", async () => {
    const before = await snapshot();
    const writes = [
      `INSERT INTO ${schema}.t VALUES (100, 'new')`,
      `UPDATE ${schema}.t SET v = 'changed'`,
      `DELETE FROM ${schema}.t`,
      `TRUNCATE ${schema}.t`,
      `DROP TABLE ${schema}.t`,
      `CREATE TABLE ${schema}.x (a int)`,
      `ALTER TABLE ${schema}.t ADD COLUMN z int`,
      `WITH x AS (DELETE FROM ${schema}.t RETURNING *) SELECT * FROM x`,
      `WITH x AS (INSERT INTO ${schema}.t VALUES (101, 'w') RETURNING *) SELECT * FROM x`,
      `WITH x AS (UPDATE ${schema}.t SET v = 'u' RETURNING *) SELECT count(*) FROM x`,
      `SELECT nextval('${schema}.seq')`,
      `SELECT setval('${schema}.seq', 100)`,
      `SELECT ${schema}.sneaky()`,
      `SELECT * FROM ${schema}.t WHERE ${schema}.sneaky() = 1`,
      `SELECT * FROM ${schema}.t FOR UPDATE`,
      `COPY ${schema}.t TO PROGRAM 'touch ${marker}'`,
      `SELECT 1; DROP TABLE ${schema}.t`,
      `SELECT 1; COMMIT; DELETE FROM ${schema}.t`,
      `EXPLAIN ANALYZE DELETE FROM ${schema}.t`,
      `SELECT set_config('transaction_read_only', 'off', false)`,
    ];
    for (const sql of writes) {
      const answer = await callJson(served.client, "sql__query", { sql });
      assert.equal(answer.isError, true, `not refused: ${sql}\n${answer.text}`);
      assert.match(answer.text, /refused|read-only|cannot/i, `${sql}: ${answer.text}`);
    }
    // What a READ ONLY transaction lets through (lo_import writes a large object) is rolled back.
    const imported = await callJson(served.client, "sql__query", {
      sql: "SELECT lo_import('/etc/hostname') AS oid",
    });
    assert.equal(imported.isError, false, imported.text);
    assert.deepEqual(await snapshot(), before);
    assert.equal(existsSync(marker), false);
  });
});
