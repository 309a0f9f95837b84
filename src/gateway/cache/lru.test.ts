import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Lru } from "./lru.ts";

test("never holds more than its entry and byte bounds", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 10, max: 2000 }),
      fc.array(fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 100 })), {
        maxLength: 200,
      }),
      (maxEntries, maxBytes, writes) => {
        const lru = new Lru({ maxEntries, maxBytes });
        for (const [key, value] of writes) {
          lru.set(key, value, 60_000);
          assert.ok(lru.size <= maxEntries);
          assert.ok(lru.bytes <= maxBytes);
        }
      },
    ),
  );
});

test("evicts the least recently used entry and expires entries after their TTL", () => {
  let now = 0;
  const lru = new Lru({ maxEntries: 2, maxBytes: 1_000_000, now: () => now });
  lru.set("a", "1", 100);
  lru.set("b", "2", 100);
  assert.equal(lru.get("a"), "1");
  lru.set("c", "3", 100);
  assert.equal(lru.get("b"), undefined);
  assert.equal(lru.get("a"), "1");
  now = 100;
  assert.equal(lru.get("a"), undefined);
  assert.equal(lru.get("c"), undefined);
  assert.equal(lru.bytes, 0);
});
