import assert from "node:assert/strict";
import { test } from "node:test";
import { ReplayBuffer, type ReplayOwner, resumesStreams } from "./replay-buffer.ts";

const owner: ReplayOwner = { resume() {} };

test("ids name their stream; a replay gives the events after an id, in order", () => {
  const buffer = new ReplayBuffer();
  const a = buffer.open(owner);
  const b = buffer.open(owner);
  assert.equal(
    buffer.push(a, (id) => id),
    `${a}-1`,
  );
  buffer.push(b, (id) => id);
  buffer.push(a, (id) => id);
  const found = buffer.find(`${a}-1`);
  assert.equal(found?.owner, owner);
  assert.deepEqual(buffer.after(a, found?.seq ?? -1), [`${a}-2`]);
  assert.equal(buffer.find("nonsense"), undefined);
  assert.equal(buffer.find("99-1"), undefined);
});

test("the session's caps drop the oldest events first", () => {
  const buffer = new ReplayBuffer({ maxEvents: 3, maxBytes: 1_000, ttlMs: 1_000 });
  const s = buffer.open(owner);
  for (let i = 0; i < 5; i++) buffer.push(s, (id) => id);
  assert.deepEqual(buffer.after(s, 0), [`${s}-3`, `${s}-4`, `${s}-5`]);
  const small = new ReplayBuffer({ maxEvents: 100, maxBytes: 10, ttlMs: 1_000 });
  const t = small.open(owner);
  small.push(t, () => "x".repeat(6));
  small.push(t, () => "y".repeat(6));
  assert.deepEqual(small.after(t, 0), ["yyyyyy"]);
  assert.equal(small.size.bytes, 6);
});

test("a stream is dropped after its TTL unless a reader keeps it, and forget frees its events", () => {
  const buffer = new ReplayBuffer({ maxEvents: 10, maxBytes: 1_000, ttlMs: 0 });
  const s = buffer.open(owner);
  buffer.push(s, (id) => id);
  buffer.expireLater(s);
  assert.equal(buffer.has(s), false);
  assert.deepEqual(buffer.size, { streams: 0, events: 0, bytes: 0 });
  const kept = buffer.open(owner);
  buffer.expireLater(kept);
  buffer.keep(kept);
  assert.equal(buffer.has(kept), true);
  buffer.forget(kept);
  assert.equal(buffer.find(`${kept}-0`), undefined);
});

test("only 2025-11-25 and later resume streams", () => {
  assert.equal(resumesStreams("2025-11-25"), true);
  assert.equal(resumesStreams("2025-06-18"), false);
  assert.equal(resumesStreams("2024-11-05"), false);
});
