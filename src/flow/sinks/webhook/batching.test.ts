import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChangeEvent } from "../../events.ts";
import { splitRequests } from "./batching.ts";

function insert(id: number, text = ""): ChangeEvent {
  return {
    op: "insert",
    key: { id },
    before: null,
    after: { id, text },
    source: { schema: "s", table: "t", commitLsn: 0x10n, seq: id, txId: 1, commitTimeMs: 0 },
  };
}

test("requests hold at most maxBatch events, in order, with first..last idempotency keys", () => {
  const requests = splitRequests(
    [1, 2, 3, 4, 5].map((id) => insert(id)),
    2,
    1_000_000,
  );
  assert.deepEqual(
    requests.map((r) => r.events.map((e) => e.key.id)),
    [[1, 2], [3, 4], [5]],
  );
  assert.equal(requests[0]!.idempotencyKey, "s.t:10:1..s.t:10:2");
  assert.equal(JSON.parse(requests[2]!.body.toString("utf8"))[0].id, "s.t:10:5");
});

test("maxBytes splits requests, and an event larger than it goes alone", () => {
  const big = "x".repeat(500);
  const requests = splitRequests(
    [insert(1, big), insert(2, big), insert(3, "x".repeat(5000))],
    100,
    1800,
  );
  assert.deepEqual(
    requests.map((r) => r.events.length),
    [2, 1],
  );
  const small = splitRequests([insert(1, big), insert(2, big)], 100, 1000);
  assert.deepEqual(
    small.map((r) => r.events.length),
    [1, 1],
  );
  for (const r of small) assert.ok(Buffer.byteLength(r.body) <= 1000);
});
