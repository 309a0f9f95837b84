import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient } from "redis";
import { createRedisSink, redisSinkOptions } from "../../../src/flow/sinks/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { batch, event, uniqueName } from "./support/events.ts";

const REDIS_URL = process.env.SOPHIA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const logger = silentLogger();
const prefix = uniqueName("sophia-test");
const redis = createClient({ url: REDIS_URL });

before(async () => {
  await redis.connect();
});
after(async () => {
  const keys: string[] = [];
  for await (const found of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 }))
    keys.push(...found);
  if (keys.length > 0) await redis.del(keys);
  await redis.close();
});

function sink(extra: Record<string, unknown> = {}) {
  return createRedisSink(
    "stream",
    redisSinkOptions.parse({
      kind: "redis",
      url: REDIS_URL,
      stream: `${prefix}:{flow}`,
      stateKeyPrefix: `${prefix}:state`,
      ...extra,
    }),
    { logger, flow: "f" },
  );
}

const insert = (id: number, lsn: bigint, seq = 0, table = "items") =>
  event({ op: "insert", key: { id }, after: { id, name: `n${id}` }, lsn, seq, table });

describe("redis streams sink", () => {
  test("entries carry id, op, table, key, before, after; a replayed batch appends nothing twice", async () => {
    const s = sink();
    await s.start();
    try {
      const first = batch([insert(1, 0x10n), insert(2, 0x10n, 1)]);
      const second = batch([
        event({ op: "delete", key: { id: 1 }, before: { id: 1 }, lsn: 0x20n }),
      ]);
      await s.write(first);
      await s.write(second);
      await s.write(first); // redelivered after a crash
      await s.write(second);
      const entries = (await redis.xRange(`${prefix}:f`, "-", "+")) ?? [];
      assert.deepEqual(
        entries.map((e) => e.message.id),
        ["public.items:10:0", "public.items:10:1", "public.items:20:0"],
      );
      assert.deepEqual(entries[0]!.message, {
        id: "public.items:10:0",
        op: "insert",
        table: "public.items",
        key: '{"id":1}',
        before: "null",
        after: '{"id":1,"name":"n1"}',
      });
      assert.equal(await s.storedCheckpoint?.(), 0x20n);
      // A batch overlapping the last one: only the new event is appended.
      await s.write(batch([insert(1, 0x20n), insert(3, 0x30n)]));
      assert.equal(await redis.xLen(`${prefix}:f`), 4);
    } finally {
      await s.stop();
    }
  });

  test("one stream per table, trimmed with MAXLEN ~", async () => {
    const s = sink({ stream: `${prefix}:{schema}.{table}`, maxLen: 10 });
    await s.start();
    try {
      const events = Array.from({ length: 300 }, (_, i) =>
        insert(i, 0x100n + BigInt(i), 0, i % 2 === 0 ? "a" : "b"),
      );
      await s.write(batch(events));
      const a = await redis.xLen(`${prefix}:public.a`);
      const b = await redis.xLen(`${prefix}:public.b`);
      assert.ok(a >= 10 && a < 150, `stream a trimmed to about 10 (has ${a})`);
      assert.ok(b >= 10 && b < 150, `stream b trimmed to about 10 (has ${b})`);
    } finally {
      await s.stop();
    }
  });

  test("an unreachable Redis fails start with FLOW_SINK_FAILED", async () => {
    const s = createRedisSink(
      "down",
      redisSinkOptions.parse({ kind: "redis", url: "redis://127.0.0.1:1" }),
      { logger, flow: "f" },
    );
    await assert.rejects(s.start(), /cannot connect to Redis/);
    await s.stop();
  });
});
