import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { formatTraceParent, parseTraceParent } from "./traceparent.ts";

const VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

test("reads and writes the W3C example", () => {
  const parsed = parseTraceParent(VALID);
  assert.deepEqual(parsed, {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    flags: 1,
  });
  assert.equal(formatTraceParent(parsed!), VALID);
});

test("ignores malformed values, version ff and all-zero ids", () => {
  for (const bad of [
    undefined,
    42,
    "",
    VALID.toUpperCase(),
    `ff${VALID.slice(2)}`,
    `${VALID}-extra`,
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
  ])
    assert.equal(parseTraceParent(bad), undefined, String(bad));
});

test("never throws on arbitrary input", () => {
  fc.assert(fc.property(fc.string(), (text) => void parseTraceParent(text)));
});
