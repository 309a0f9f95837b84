import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { UpstreamCommon } from "../../src/config/types.ts";
import type { JsonRpcNotification } from "../../src/gateway/jsonrpc/messages.ts";
import type { Upstream } from "../../src/gateway/upstream/types.ts";
import { isSophiaError } from "../../src/shared/errors.ts";
import type { Logger } from "../../src/shared/logger.ts";
import { callTool, eventually, memoryLogger, textOf } from "./support.ts";

/** How one transport's fixture is reached, so the same scenarios run over stdio, streamable HTTP and SSE. */
export interface Harness {
  label: string;
  /** Server-side facts the transport can carry (legacy SSE and stdio have no request scoping). */
  setup(): Promise<void>;
  teardown(): Promise<void>;
  create(logger: Logger, overrides?: Partial<UpstreamCommon>): Upstream;
  /** After the crash tool killed the server: bring it back (HTTP restarts it on the same port). */
  revive(): Promise<void>;
}

async function cancelledCount(upstream: Upstream): Promise<number> {
  return JSON.parse(textOf(await callTool(upstream, "stats"))).cancelled;
}

export function upstreamScenarios(harness: Harness): void {
  describe(harness.label, () => {
    let upstream: Upstream;
    const log = memoryLogger();

    before(async () => {
      await harness.setup();
      upstream = harness.create(log.logger);
      await upstream.start();
    });
    after(async () => {
      await upstream.stop(1000);
      await harness.teardown();
    });

    test("calls a tool", async () => {
      assert.equal(upstream.state, "ready");
      assert.equal(upstream.info?.serverInfo.name, "fixture");
      assert.equal(textOf(await callTool(upstream, "echo", { text: "hello" })), "hello");
    });

    test("200 concurrent calls each get their own answer", async () => {
      const texts = Array.from({ length: 200 }, (_, i) => `message-${i}-${"x".repeat(i % 7)}`);
      const answers = await Promise.all(texts.map((text) => callTool(upstream, "echo", { text })));
      assert.deepEqual(answers.map(textOf), texts);
      assert.equal(upstream.inFlight, 0);
    });

    test("progress reaches the right call with the caller's own token", async () => {
      const seen: Record<string, JsonRpcNotification[]> = { a: [], b: [] };
      // Both callers chose the same token: only the gateway's own tokens tell them apart.
      const run = (key: "a" | "b", steps: number) =>
        callTool(
          upstream,
          "progress",
          { steps },
          { onNotification: (n) => void seen[key]?.push(n) },
          { progressToken: "tok" },
        );
      const [a, b] = await Promise.all([run("a", 3), run("b", 5)]);
      assert.equal(textOf(a), "done 3");
      assert.equal(textOf(b), "done 5");
      assert.deepEqual(
        seen.a?.map((n) => [
          n.method,
          n.params?.progressToken,
          n.params?.progress,
          n.params?.total,
        ]),
        [1, 2, 3].map((i) => ["notifications/progress", "tok", i, 3]),
      );
      assert.deepEqual(
        seen.b?.map((n) => n.params?.progress),
        [1, 2, 3, 4, 5],
      );
    });

    test("a sampling request during a tool call reaches that call and the answer goes back", async () => {
      const asked: string[] = [];
      const outcome = await callTool(
        upstream,
        "sampling",
        { prompt: "meaning of life?" },
        {
          onServerRequest: async (method, params) => {
            asked.push(method);
            const messages = params?.messages as Array<{ content: { text: string } }> | undefined;
            const first = messages?.[0];
            assert.equal(first?.content.text, "meaning of life?");
            return {
              result: {
                role: "assistant",
                content: { type: "text", text: "42" },
                model: "test-model",
              },
            };
          },
        },
      );
      assert.equal(textOf(outcome), "model said: 42");
      assert.deepEqual(asked, ["sampling/createMessage"]);
    });

    test("a sampling request with no client to answer it fails that call, not the connection", async () => {
      const outcome = await callTool(upstream, "sampling", { prompt: "anyone?" });
      assert.ok(
        ("result" in outcome && outcome.result.isError === true) || "error" in outcome,
        JSON.stringify(outcome),
      );
      assert.equal(textOf(await callTool(upstream, "echo", { text: "still fine" })), "still fine");
    });

    test("cancellation rejects the call and tells the server", async () => {
      const before = await cancelledCount(upstream);
      const controller = new AbortController();
      const started = Date.now();
      const call = callTool(upstream, "slow", { ms: 10_000 }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await assert.rejects(
        call,
        (error: Error) => error.name === "AbortError" && /slow.*cancelled/.test(error.message),
      );
      assert.ok(Date.now() - started < 2000);
      await eventually(async () => (await cancelledCount(upstream)) === before + 1);
    });

    test("a call that outlives its timeout fails with UPSTREAM_TIMEOUT and is cancelled upstream", async () => {
      const before = await cancelledCount(upstream);
      await assert.rejects(
        callTool(upstream, "slow", { ms: 10_000 }, { timeoutMs: 200 }),
        (error: unknown) => {
          assert.ok(isSophiaError(error, "UPSTREAM_TIMEOUT"));
          assert.match(error.message, /server fx: tools\/call slow did not answer within 200 ms/);
          return true;
        },
      );
      await eventually(async () => (await cancelledCount(upstream)) === before + 1);
    });

    test("list_changed reaches the upstream's notification listeners", async () => {
      const seen: string[] = [];
      const off = upstream.onNotification((n) => void seen.push(n.method));
      try {
        // The HTTP GET stream opens just after initialize; retry until the server has somewhere to send.
        await eventually(async () => {
          await callTool(upstream, "add_tool", { name: `tool_${Date.now()}` });
          await new Promise((r) => setTimeout(r, 100));
          return seen.includes("notifications/tools/list_changed");
        });
      } finally {
        off();
      }
    });

    test("a crash mid-call fails that call; the server is restarted and later calls succeed", async () => {
      const states: string[] = [];
      const off = upstream.onStateChange((s) => void states.push(s));
      await assert.rejects(callTool(upstream, "crash", { code: 3 }), (error: unknown) => {
        assert.ok(isSophiaError(error, "UPSTREAM_UNAVAILABLE"), String(error));
        assert.match(error.message, /server fx .*while tools\/call crash was in flight/);
        return true;
      });
      await harness.revive();
      await eventually(() => upstream.state === "ready", 10_000);
      assert.equal(textOf(await callTool(upstream, "echo", { text: "back" })), "back");
      assert.ok(states.includes("restarting") || states.includes("down"), states.join(","));
      assert.match(upstream.lastError ?? "", /./);
      off();
    });
  });
}
