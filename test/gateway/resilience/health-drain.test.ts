import assert from "node:assert/strict";
import { request } from "node:http";
import { describe, test } from "node:test";
import { connectClient, stdioEntry } from "../../support/gateway-harness.ts";
import { readyz, until } from "../../support/poll.ts";
import { call, FIXTURE, metric, SLOW_LIST_FIXTURE, withGateway } from "./support.ts";

const slowList = (env: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  ...stdioEntry(SLOW_LIST_FIXTURE),
  env,
  ...extra,
});

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
        // The tool call itself, not a ping or a list refresh that the upstream's own count includes.
        await until("the call to be in flight", async () =>
          (await metric(gw.url, "sophia_tool_calls_in_flight", 'server="fx"')) === 1
            ? true
            : undefined,
        );
        const stopping = gw.gateway.stop();
        assert.equal((await readyz(gw.url)).status, 503);
        const fresh = await fetch(`${gw.url}/mcp`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} }),
        });
        assert.equal(fresh.status, 503);
        assert.equal(fresh.headers.get("retry-after"), "5");
        await assert.rejects(connectClient(`${gw.url}/mcp`));
        assert.deepEqual(await inFlight, { isError: false, text: "slept 800" });
        await stopping;
      },
      { drain: "5s" },
    );
  });
  test("stop waits for a call whose body is still arriving: it is answered, not cut off", async () => {
    await withGateway(
      { fx: stdioEntry(FIXTURE) },
      async (gw) => {
        const { hostname, port } = new URL(gw.url);
        const body = JSON.stringify({ text: "late body" });
        const req = request({
          host: hostname,
          port,
          method: "POST",
          path: "/v1/tools/fx/echo",
          headers: { "content-type": "application/json", "content-length": body.length },
        });
        const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
          req.on("response", (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
              text += chunk;
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          });
          req.on("error", reject);
        });
        req.write(body.slice(0, 5));
        // Headers in, body not: the call cannot have reached the upstream.
        await new Promise((resolve) => setTimeout(resolve, 150));
        const stopping = gw.gateway.stop();
        await new Promise((resolve) => setTimeout(resolve, 300));
        req.end(body.slice(5));
        const reply = await answered;
        assert.equal(reply.status, 200, reply.text);
        assert.match(reply.text, /late body/);
        await stopping;
      },
      { drain: "5s" },
    );
  });
});
