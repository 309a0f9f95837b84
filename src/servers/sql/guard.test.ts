import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { checkReadQuery } from "./guard.ts";

const refused = (sql: string) => {
  const result = checkReadQuery(sql);
  assert.equal(result.ok, false, `expected refusal: ${sql}`);
  return result.ok ? "" : result.reason;
};
const accepted = (sql: string) => {
  const result = checkReadQuery(sql);
  assert.ok(result.ok, `expected acceptance: ${sql}`);
  return result.sql;
};

test("reading statements pass, trailing semicolons and comments cut off", () => {
  assert.equal(accepted("SELECT 1;"), "SELECT 1");
  assert.equal(accepted("  select * from t ;; -- done"), "  select * from t");
  assert.equal(
    accepted("WITH x AS (SELECT 1) SELECT * FROM x"),
    "WITH x AS (SELECT 1) SELECT * FROM x",
  );
  assert.equal(accepted("(SELECT 1) UNION (SELECT 2)"), "(SELECT 1) UNION (SELECT 2)");
  assert.equal(accepted("VALUES (1), (2)"), "VALUES (1), (2)");
  assert.equal(accepted("TABLE t"), "TABLE t");
  assert.equal(accepted("SELECT 'a;b' AS x;"), "SELECT 'a;b' AS x");
  assert.equal(accepted("SELECT $$ ; DROP $$"), "SELECT $$ ; DROP $$");
  assert.equal(accepted('SELECT 1 AS ";"'), 'SELECT 1 AS ";"');
  assert.equal(accepted("SELECT E'it\\'s; x'"), "SELECT E'it\\'s; x'");
  assert.equal(accepted("/* a; */ SELECT 1"), "/* a; */ SELECT 1");
});

test("writes, DDL, COPY and several statements are refused", () => {
  for (const sql of [
    "INSERT INTO t VALUES (1)",
    "update t set a = 1",
    "DELETE FROM t",
    "DROP TABLE t",
    "CREATE TABLE x (a int)",
    "COPY t TO PROGRAM 'id'",
    "copy (select 1) to '/tmp/x'",
    "CALL p()",
    "DO $$ BEGIN END $$",
    "SET ROLE postgres",
    "BEGIN",
    "COMMIT",
  ])
    assert.match(refused(sql), /only reading queries/);
  for (const sql of ["SELECT 1; DROP TABLE t", "SELECT 1;DROP TABLE t;", "select 1 ; select 2"])
    assert.match(refused(sql), /only one statement/);
  assert.match(refused(" ; -- nothing"), /empty/);
});

test("a statement hidden after a literal, comment or dollar quote is still seen", () => {
  assert.match(refused("SELECT 'x'; DELETE FROM t"), /one statement/);
  assert.match(refused("SELECT 1 /* c */; DELETE FROM t"), /one statement/);
  assert.match(refused("SELECT $a$ $$ $a$; DELETE FROM t"), /one statement/);
  assert.match(refused("SELECT 1 -- c\n; DELETE FROM t"), /one statement/);
});

test("never throws, and what it accepts it accepts again unchanged", () => {
  const pieces = fc.constantFrom(
    "SELECT 1",
    ";",
    "'",
    "$$",
    "--",
    "\n",
    "/*",
    "*/",
    '"',
    " x",
    "DROP",
  );
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
      const result = checkReadQuery(parts.join(""));
      if (result.ok) assert.deepEqual(checkReadQuery(result.sql), result);
    }),
  );
});
