import assert from "node:assert/strict";
import { test } from "node:test";
import { configVariables } from "./variables.ts";

test("configVariables lists referenced variables once, sorted, without escapes", () => {
  const text = 'a: "${B_TOKEN}"\nb: ${A:-fallback}\nc: $${LITERAL}\nd: ${B_TOKEN}\ne: $$${REAL}\n';
  assert.deepEqual(configVariables(text), ["A", "B_TOKEN", "REAL"]);
});
