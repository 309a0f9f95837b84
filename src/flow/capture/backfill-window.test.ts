import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChangeEvent, Operation } from "../events.ts";
import { BackfillWindow } from "./backfill-window.ts";

const change = (op: Operation, id: number, table = "t"): ChangeEvent => ({
  op,
  key: op === "truncate" ? {} : { id },
  before: null,
  after: null,
  source: { schema: "s", table, commitLsn: 1n, seq: 0, txId: 1, commitTimeMs: 0 },
});
const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];

test("stream changes inside the window win over the chunk's rows; outside it they do not", () => {
  const window = new BackfillWindow("w", "s", "t", ["id"]);
  window.observe(change("update", 1)); // before the low watermark: the chunk row is as new
  window.openAtLow();
  window.observe(change("delete", 2));
  window.observe(change("update", 3, "other"));
  assert.deepEqual(window.survivors(rows), [{ id: 1 }, { id: 3 }]);
});

test("a truncate inside the window drops the whole chunk", () => {
  const window = new BackfillWindow("w", "s", "t", ["id"]);
  window.openAtLow();
  window.observe(change("truncate", 0));
  assert.deepEqual(window.survivors(rows), []);
});
