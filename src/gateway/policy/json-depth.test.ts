import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { nestsDeeperThan } from "./json-depth.ts";

const bytes = (text: string) => Buffer.from(text, "utf8");

test("nesting is counted outside strings only", () => {
  assert.equal(nestsDeeperThan(bytes(`${"[".repeat(65)}${"]".repeat(65)}`)), true);
  assert.equal(nestsDeeperThan(bytes(`${"[".repeat(64)}${"]".repeat(64)}`)), false);
  assert.equal(nestsDeeperThan(bytes(JSON.stringify({ a: "[".repeat(500) }))), false);
  assert.equal(nestsDeeperThan(bytes(JSON.stringify({ a: `\\"${"{".repeat(500)}` }))), false);
});

test("property: agrees with the real depth of any JSON value", () => {
  const depth = (v: unknown): number =>
    typeof v === "object" && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0;
  fc.assert(
    fc.property(
      fc.jsonValue({ maxDepth: 8 }),
      fc.integer({ min: 0, max: 9 }),
      (value, limit) =>
        nestsDeeperThan(bytes(JSON.stringify(value)), limit) === depth(value) > limit,
    ),
  );
});
