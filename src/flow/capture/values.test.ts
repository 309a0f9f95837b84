import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parseArrayLiteral } from "./array-literal.ts";
import { parserFor } from "./values.ts";

test("scalars by type OID", () => {
  assert.equal(parserFor(23)("42"), 42);
  assert.equal(parserFor(21)("-7"), -7);
  assert.equal(parserFor(20)("9223372036854775807"), "9223372036854775807");
  assert.equal(parserFor(1700)("1.10"), "1.10");
  assert.equal(parserFor(701)("0.1"), 0.1);
  assert.equal(parserFor(16)("t"), true);
  assert.equal(parserFor(16)("f"), false);
  assert.deepEqual(parserFor(3802)('{"a": [1, null]}'), { a: [1, null] });
  assert.equal(parserFor(1184)("2024-01-02 03:04:05.123456+00"), "2024-01-02T03:04:05.123456Z");
  assert.equal(parserFor(1114)("2024-01-02 03:04:05"), "2024-01-02T03:04:05");
  assert.equal(parserFor(1184)("infinity"), "infinity");
  assert.equal(parserFor(25)("plain"), "plain");
  assert.equal(
    parserFor(2950)("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
  );
  assert.equal(parserFor(123456)("x"), "x", "unknown types stay text");
});

test("pgvector's vector by type name", () => {
  assert.deepEqual(parserFor(90001, "vector")("[1,2.5,-3]"), [1, 2.5, -3]);
  assert.deepEqual(parserFor(90001, "vector")("[]"), []);
});

test("arrays: quoting, escapes, NULL, nesting", () => {
  assert.deepEqual(parserFor(1007)("{1,2,NULL}"), [1, 2, null]);
  assert.deepEqual(parserFor(1009)('{"a,b","c\\"d",plain,"NULL"}'), [
    "a,b",
    'c"d',
    "plain",
    "NULL",
  ]);
  assert.deepEqual(parserFor(1007)("{{1,2},{3,4}}"), [
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(parserFor(1007)("{}"), []);
  assert.deepEqual(parserFor(1007)("[0:1]={5,6}"), [5, 6]);
  assert.equal(parseArrayLiteral("{1,2", Number), "{1,2", "malformed text is returned as text");
});

test("property: text arrays round-trip through PostgreSQL's quoting", () => {
  const quote = (s: string) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  fc.assert(
    fc.property(fc.array(fc.string()), (items) => {
      assert.deepEqual(
        parseArrayLiteral(`{${items.map(quote).join(",")}}`, (t) => t),
        items,
      );
    }),
  );
});
