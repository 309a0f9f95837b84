import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { MAX_NAME_LENGTH, qualifyName, splitName } from "./names.ts";

describe("qualifyName", () => {
  test("joins prefix and name with the separator", () => {
    assert.equal(qualifyName("files", "read_file", "__"), "files__read_file");
  });

  test("short names round-trip through splitName", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
        fc.stringMatching(/^[A-Za-z0-9_.-]{1,40}$/),
        (prefix, name) => {
          const q = qualifyName(prefix, name, "__");
          assert.deepEqual(splitName(q, "__"), { prefix, name });
        },
      ),
    );
  });

  test("long names are shortened to the limit, deterministically and without collisions", () => {
    const a = qualifyName("server", "x".repeat(80), "__");
    const b = qualifyName("server", `${"x".repeat(79)}y`, "__");
    assert.equal(a.length, MAX_NAME_LENGTH);
    assert.equal(a, qualifyName("server", "x".repeat(80), "__"));
    assert.notEqual(a, b);
  });
});

describe("splitName", () => {
  test("rejects names without a separator or with an empty side", () => {
    assert.equal(splitName("plain", "__"), undefined);
    assert.equal(splitName("__tool", "__"), undefined);
    assert.equal(splitName("server__", "__"), undefined);
  });

  test("splits at the first separator so upstream names may contain it", () => {
    assert.deepEqual(splitName("a__b__c", "__"), { prefix: "a", name: "b__c" });
  });
});
