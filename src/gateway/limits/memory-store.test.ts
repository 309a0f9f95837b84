import assert from "node:assert/strict";
import { test } from "node:test";
import type { LimitRule } from "./config.ts";
import { MemoryLimitStore } from "./memory-store.ts";

const rule: LimitRule = {
  name: "r",
  per: ["subject"],
  servers: ["*"],
  tools: ["*"],
  limit: { kind: "bucket", ratePerMs: 1 / 1000, burst: 1 },
};

test("each key has its own bucket; refilled buckets are swept so memory stays bounded", async () => {
  let now = 0;
  const store = new MemoryLimitStore({ now: () => now, sweepAt: 10 });
  for (let i = 0; i < 10; i++)
    assert.equal((await store.take([{ rule, key: `k${i}` }])).allowed, true);
  assert.equal((await store.take([{ rule, key: "k0" }])).allowed, false);
  now = 1000; // every bucket has refilled
  assert.equal((await store.take([{ rule, key: "k10" }])).allowed, true);
  assert.equal(store.size, 1);
  assert.equal((await store.take([{ rule, key: "k0" }])).allowed, true);
});

test("a refusal names the rule and when to retry", async () => {
  const store = new MemoryLimitStore({ now: () => 0 });
  await store.take([{ rule, key: "a" }]);
  assert.deepEqual(await store.take([{ rule, key: "a" }]), {
    allowed: false,
    retryAfterMs: 1000,
    rule: "r",
  });
});

test("takeNow answers at once and charges every bucket or none", () => {
  let now = 0;
  const store = new MemoryLimitStore({ now: () => now });
  const wide: LimitRule = {
    ...rule,
    name: "wide",
    limit: { kind: "bucket", ratePerMs: 1 / 1000, burst: 2 },
  };
  assert.deepEqual(
    store.takeNow([
      { rule, key: "a" },
      { rule: wide, key: "w" },
    ]),
    { allowed: true },
  );
  // "a" is empty: the call is refused and "w" keeps its second token.
  assert.equal(
    store.takeNow([
      { rule, key: "a" },
      { rule: wide, key: "w" },
    ]).allowed,
    false,
  );
  assert.equal(store.takeNow([{ rule: wide, key: "w" }]).allowed, true);
  assert.equal(store.takeNow([{ rule: wide, key: "w" }]).allowed, false);
  now = 1000;
  assert.equal(store.takeNow([{ rule, key: "a" }]).allowed, true, "refilled after a second");
  assert.equal(store.size, 2);
});
