import assert from "node:assert/strict";
import { test } from "node:test";
import { closestKey } from "./suggest.ts";

const keys = [
  "command",
  "args",
  "env",
  "cwd",
  "maxConcurrency",
  "connectTimeout",
  "url",
  "headers",
];

test("suggests the nearest known key for typos, case and snake_case", () => {
  assert.equal(closestKey("comand", keys), "command");
  assert.equal(closestKey("Command", keys), "command");
  assert.equal(closestKey("max_concurrency", keys), "maxConcurrency");
  assert.equal(closestKey("header", keys), "headers");
  assert.equal(closestKey("connect_timout", keys), "connectTimeout");
});

test("suggests nothing when no key is close", () => {
  assert.equal(closestKey("autoApprove", keys), undefined);
  assert.equal(closestKey("zzzzzz", keys), undefined);
});
