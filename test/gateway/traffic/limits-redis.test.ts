import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "redis";
import type { LimitRule } from "../../../src/gateway/limits/config.ts";
import { RedisLimitStore } from "../../../src/gateway/limits/redis-store.ts";
import { GatewayRedis } from "../../../src/gateway/redis/client.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { call, openSession, raw, startSecured } from "../security/support.ts";
import { freePort, TestRedis } from "./redis-server.ts";
import { REDIS_URL, TRAFFIC_FIXTURE, toolText, uniquePrefix } from "./support.ts";

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys);
  }
  await client.close();
}

function rule(name: string, burst: number, perMinute: number): LimitRule {
  return {
    name,
    per: [],
    servers: ["*"],
    tools: ["*"],
    limit: { kind: "bucket", ratePerMs: perMinute / 60_000, burst },
  };
}

describe("rate limits in Redis (the machine's Redis, own key prefix)", () => {
  const prefix = uniquePrefix();
  let redis: GatewayRedis;

  before(async () => {
    redis = new GatewayRedis({ url: REDIS_URL, logger: silentLogger() });
    for (let i = 0; i < 100 && !redis.ready; i++) await sleep(20);
  });
  after(async () => {
    await redis.close();
    await deleteKeys(REDIS_URL, prefix);
  });

  test("concurrent takes from two stores grant exactly the burst (one atomic script)", async () => {
    const a = new RedisLimitStore(redis, prefix);
    const b = new RedisLimitStore(redis, prefix);
    const refs = [{ rule: rule("shared", 25, 1), key: "shared:[]" }];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).take(refs)),
    );
    assert.equal(results.filter((r) => r.allowed).length, 25);
    const refused = results.find((r) => !r.allowed);
    assert.ok(refused && !refused.allowed && refused.retryAfterMs > 0);
  });

  test("a call refused by one rule charges no other rule", async () => {
    const store = new RedisLimitStore(redis, prefix);
    const wide = { rule: rule("wide", 10, 1), key: "wide:[]" };
    const narrow = { rule: rule("narrow", 1, 1), key: "narrow:[]" };
    assert.equal((await store.take([wide, narrow])).allowed, true);
    for (let i = 0; i < 5; i++) assert.equal((await store.take([wide, narrow])).allowed, false);
    // wide spent 1 of 10 above; 9 left.
    let granted = 0;
    for (let i = 0; i < 12; i++) if ((await store.take([wide])).allowed) granted++;
    assert.equal(granted, 9);
  });

  test("every key gets a TTL", async () => {
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    try {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*` })) {
        for (const key of keys) assert.ok((await client.pTTL(key)) > 0, key);
      }
    } finally {
      await client.close();
    }
  });
});

describe("Redis stopped while serving (a redis-server of the test's own)", () => {
  let server: TestRedis;
  const gateways: Array<Awaited<ReturnType<typeof startSecured>>> = [];

  before(async () => {
    server = new TestRedis(await freePort());
    await server.start();
  });
  after(async () => {
    for (const gw of gateways) await gw.stop();
    await server.stop();
  });

  async function start(onStoreDown: "allow" | "deny") {
    const gw = await startSecured(
      {
        redis: { url: server.url, prefix: uniquePrefix() },
        limits: {
          store: "redis",
          onStoreDown,
          rules: [{ name: "two", tools: "lookup", rate: "1/min", burst: 2 }],
        },
      },
      { t: TRAFFIC_FIXTURE },
    );
    gateways.push(gw);
    return { gw, session: await openSession(`${gw.url}/mcp`) };
  }

  test("fail-open (default): served and counted while down, limited again once Redis is back", async () => {
    const open = await start("allow");
    const closed = await start("deny");
    const lookup = (g: typeof open, key: string) =>
      call(`${g.gw.url}/mcp`, g.session, "tools/call", {
        name: "t__lookup",
        arguments: { key },
      }).then((r) => r.json());
    assert.match(toolText(await lookup(open, "a")), /^a#/);
    assert.match(toolText(await lookup(closed, "a")), /^a#/);

    await server.stop();
    for (let i = 0; i < 4; i++) assert.match(toolText(await lookup(open, `down${i}`)), /^down/);
    const refused = await lookup(closed, "down");
    assert.equal(refused.error.code, -32029);
    assert.equal(refused.error.data.rule, "store-unavailable");
    const metrics = (await raw(`${open.gw.url}/metrics`)).text;
    assert.match(
      metrics,
      /sophia_rate_limit_store_errors_total\{store="redis",outcome="allowed"\} 4/,
    );

    await server.start();
    // Reconnection backs off up to 2 s; the bucket (burst 2, one used) lets one more through, then limits.
    let limited = false;
    for (let i = 0; i < 60 && !limited; i++) {
      limited = (await lookup(open, `back${i}`)).error?.code === -32029;
      if (!limited) await sleep(100);
    }
    assert.ok(limited, "limits are enforced again after Redis returns");
  });
});
