import assert from "node:assert/strict";
import { test } from "node:test";
import { escValues } from "./esc.ts";
import { valueAt } from "./provider.ts";

test("ESC Values unwrap to plain JSON; unknown values are left out", () => {
  const trace = { def: {} };
  const properties = {
    db: {
      value: {
        password: { value: "pw", secret: true, trace },
        hosts: {
          value: [
            { value: "a", trace },
            { value: "b", trace },
          ],
          trace,
        },
        later: { value: null, unknown: true, trace },
      },
      trace,
    },
    port: { value: 5432, trace },
  };
  assert.deepEqual(escValues(properties), {
    db: { password: "pw", hosts: ["a", "b"], later: undefined },
    port: 5432,
  });
});

test("valueAt follows dotted paths and array indexes; only scalars are values", () => {
  const tree = { a: { b: ["x", { c: true }] }, n: 0, o: {} };
  assert.equal(valueAt(tree, "a.b.0"), "x");
  assert.equal(valueAt(tree, "a.b.1.c"), "true");
  assert.equal(valueAt(tree, "n"), "0");
  assert.equal(valueAt(tree, "o"), undefined);
  assert.equal(valueAt(tree, "a.missing"), undefined);
  assert.equal(valueAt(tree, "toString"), undefined);
  assert.equal(valueAt(tree, "a.b.length"), undefined);
});
