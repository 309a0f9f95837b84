import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createClient } from "redis";
import { generateApiKey } from "../../../src/gateway/auth/api-key.ts";
import { KeyFile } from "../../../src/gateway/auth/key-store.ts";
import { call, openSession, raw, startSecured } from "../security/support.ts";
import { freePort, TestRedis } from "./redis-server.ts";
import { REDIS_URL, TRAFFIC_FIXTURE, toolText, uniquePrefix } from "./support.ts";

describe("result cache in memory (real gateway, API keys, stdio upstream)", () => {
  let dir: string;
  let gw: Awaited<ReturnType<typeof startSecured>>;
  const sessions: Record<string, string> = {};
  const keys: Record<string, string> = {};

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sophia-cache-"));
    const store = new KeyFile(join(dir, "keys.json"));
    for (const name of ["ann", "bob"]) {
      const made = generateApiKey({ name, roles: [] });
      await store.add(made.record);
      keys[name] = made.key;
    }
    gw = await startSecured(
      {
        auth: { apiKeys: { file: store.path } },
        cache: {
          rules: [
            { tools: ["lookup", "broken", "write"], ttl: "1s" },
            { tools: "meta", ttl: "1m", shared: true },
          ],
        },
      },
      { t: TRAFFIC_FIXTURE },
    );
    for (const name of ["ann", "bob"])
      sessions[name] = await openSession(`${gw.url}/mcp`, auth(name));
    // The cache needs the tool's annotations: wait for the catalog's first tools list.
    await call(`${gw.url}/mcp`, sessions.ann!, "tools/list", {}, auth("ann"));
  });
  after(async () => {
    await gw?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const auth = (name: string) => ({ "x-api-key": keys[name]! });
  const tool = async (who: string, name: string, args: Record<string, unknown>) =>
    toolText(
      (
        await call(
          `${gw.url}/mcp`,
          sessions[who]!,
          "tools/call",
          { name: `t__${name}`, arguments: args },
          auth(who),
        )
      ).json(),
    );

  test("a read-only call is answered from the cache, whatever the argument order", async () => {
    const first = await tool("ann", "lookup", { key: "k1", page: 1 });
    assert.equal(await tool("ann", "lookup", { page: 1, key: "k1" }), first);
    assert.notEqual(
      await tool("ann", "lookup", { key: "k1", page: 2 }),
      first,
      "other arguments, other entry",
    );
  });

  test("one caller never gets another caller's cached result", async () => {
    const ann = await tool("ann", "lookup", { key: "k2" });
    const bob = await tool("bob", "lookup", { key: "k2" });
    assert.notEqual(bob, ann);
    assert.equal(await tool("bob", "lookup", { key: "k2" }), bob);
  });

  test("shared: true tools share one entry across callers", async () => {
    assert.equal(await tool("bob", "meta", {}), await tool("ann", "meta", {}));
  });

  test("isError results and tools not annotated read-only are never cached", async () => {
    assert.notEqual(
      await tool("ann", "broken", { key: "x" }),
      await tool("ann", "broken", { key: "x" }),
    );
    assert.notEqual(
      await tool("ann", "write", { key: "x" }),
      await tool("ann", "write", { key: "x" }),
    );
  });

  test("entries expire after their TTL", async () => {
    const first = await tool("ann", "lookup", { key: "ttl" });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.notEqual(await tool("ann", "lookup", { key: "ttl" }), first);
  });

  test("hits, misses and bypasses are counted", async () => {
    const text = (await raw(`${gw.url}/metrics`, { headers: auth("ann") })).text;
    assert.match(text, /sophia_cache_lookups_total\{server="t",result="hit"\} [1-9]/);
    assert.match(text, /sophia_cache_lookups_total\{server="t",result="miss"\} [1-9]/);
    assert.match(text, /sophia_cache_lookups_total\{server="t",result="bypass"\} [1-9]/);
    assert.match(text, /sophia_cache_entries [1-9]/);
  });
});

describe("result cache in Redis", () => {
  test("shared between gateway instances; bypassed while Redis is down, used again after", async () => {
    const server = new TestRedis(await freePort());
    await server.start();
    const prefix = uniquePrefix();
    const config = {
      redis: { url: server.url, prefix },
      cache: { store: "redis", rules: [{ tools: "lookup", ttl: "1m" }] },
    };
    const a = await startSecured(config, { t: TRAFFIC_FIXTURE });
    const b = await startSecured(config, { t: TRAFFIC_FIXTURE });
    try {
      const [sa, sb] = [await openSession(`${a.url}/mcp`), await openSession(`${b.url}/mcp`)];
      await call(`${a.url}/mcp`, sa, "tools/list", {});
      await call(`${b.url}/mcp`, sb, "tools/list", {});
      const lookup = async (gw: typeof a, session: string, key: string) =>
        toolText(
          (
            await call(`${gw.url}/mcp`, session, "tools/call", {
              name: "t__lookup",
              arguments: { key },
            })
          ).json(),
        );
      const first = await lookup(a, sa, "r1");
      assert.equal(await lookup(b, sb, "r1"), first, "instance B answers from A's entry");

      await server.stop();
      const during = await lookup(a, sa, "r1");
      assert.notEqual(during, first, "Redis down: the call goes upstream");
      assert.match(
        (await raw(`${a.url}/metrics`)).text,
        /sophia_cache_lookups_total\{server="t",result="store_error"\} [1-9]/,
      );

      await server.start();
      let cached = false;
      for (let i = 0; i < 60 && !cached; i++) {
        const fresh = await lookup(a, sa, "r2");
        cached = (await lookup(a, sa, "r2")) === fresh;
        if (!cached) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(cached, "the cache is used again once Redis is back");
    } finally {
      await a.stop();
      await b.stop();
      await server.stop();
    }
  });

  test("keys live under the configured prefix with a TTL (the machine's Redis)", async () => {
    const prefix = uniquePrefix();
    const gw = await startSecured(
      {
        redis: { url: REDIS_URL, prefix },
        cache: { store: "redis", rules: [{ tools: "lookup", ttl: "30s" }] },
      },
      { t: TRAFFIC_FIXTURE },
    );
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    try {
      const session = await openSession(`${gw.url}/mcp`);
      await call(`${gw.url}/mcp`, session, "tools/list", {});
      await call(`${gw.url}/mcp`, session, "tools/call", {
        name: "t__lookup",
        arguments: { key: "p" },
      });
      let keys: string[] = [];
      for (let i = 0; i < 20 && keys.length === 0; i++) {
        keys = await client.keys(`${prefix}cache:*`);
        if (keys.length === 0) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.equal(keys.length, 1);
      const ttl = await client.pTTL(keys[0]!);
      assert.ok(ttl > 0 && ttl <= 30_000);
    } finally {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(keys);
      await client.close();
      await gw.stop();
    }
  });
});
