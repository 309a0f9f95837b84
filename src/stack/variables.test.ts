import assert from "node:assert/strict";
import { test } from "node:test";
import { configVariables } from "./variables.ts";

test("configVariables lists referenced variables once, sorted, without escapes", () => {
  // A YAML text, not a JS template: the placeholders are what is being parsed.
  const text = [
    'a: "$' + '{B_TOKEN}"',
    "b: $" + "{A:-fallback}",
    "c: $$" + "{LITERAL}",
    "d: $" + "{B_TOKEN}",
    "e: $$$" + "{REAL}",
  ].join("\n");
  assert.deepEqual(configVariables(text), ["A", "B_TOKEN", "REAL"]);
});
