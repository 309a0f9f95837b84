import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createUpstream } from "../../src/gateway/upstream/create-upstream.ts";
import { isSophiaError } from "../../src/shared/errors.ts";
import { upstreamScenarios } from "./scenarios.ts";
import { callTool, eventually, HttpFixture, httpConfig, memoryLogger, textOf } from "./support.ts";

let fixture: HttpFixture;

upstreamScenarios({
  label: "streamable HTTP upstream",
  setup: async () => {
    fixture = await HttpFixture.start();
  },
  teardown: async () => fixture.stop(),
  create: (logger, overrides) =>
    createUpstream("fx", httpConfig(fixture.url("/mcp"), overrides), logger),
  revive: async () => {
    await fixture.exited();
    fixture = await HttpFixture.start({ port: fixture.port });
  },
});

describe("streamable HTTP specifics", () => {
  let server: HttpFixture;
  before(async () => {
    server = await HttpFixture.start({ json: true });
  });
  after(async () => server.stop());

  test("JSON responses (no SSE) are mapped back to their calls", async () => {
    const upstream = createUpstream("fx", httpConfig(server.url("/mcp")), memoryLogger().logger);
    await upstream.start();
    try {
      const texts = Array.from({ length: 100 }, (_, i) => `json-${i}`);
      const answers = await Promise.all(texts.map((text) => callTool(upstream, "echo", { text })));
      assert.deepEqual(answers.map(textOf), texts);
    } finally {
      await upstream.stop(1000);
    }
  });

  test("a server that forgot the session (restarted): the next call succeeds on a new session", async () => {
    const own = await HttpFixture.start();
    const upstream = createUpstream("fx", httpConfig(own.url("/mcp")), memoryLogger().logger);
    await upstream.start();
    try {
      await own.stop();
      const again = await HttpFixture.start({ port: own.port });
      try {
        // Either the GET stream noticed and the upstream reconnected, or the call meets the old
        // session's 404 and is sent again on a new one: both ways the caller sees no error.
        await eventually(() => upstream.state === "ready", 10_000);
        const outcome = await callTool(upstream, "echo", { text: "new session" });
        assert.equal(textOf(outcome), "new session");
      } finally {
        await again.stop();
      }
    } finally {
      await upstream.stop(500);
    }
  });

  test("an unreachable URL: start() rejects naming the address, without its query", async () => {
    const upstream = createUpstream(
      "nowhere",
      httpConfig("http://127.0.0.1:9/mcp?api_key=secret", { connectTimeoutMs: 500 }),
      memoryLogger().logger,
    );
    await assert.rejects(upstream.start(), (error: unknown) => {
      assert.ok(isSophiaError(error, "UPSTREAM_UNAVAILABLE"));
      assert.match(error.message, /could not be reached at http:\/\/127\.0\.0\.1:9\/mcp \(/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
    await upstream.stop(100);
  });

  test("with the only pool connection held by a call's stream, its sampling answer and a cancel still get through", async () => {
    const own = await HttpFixture.start();
    const upstream = createUpstream(
      "fx",
      httpConfig(own.url("/mcp"), { connections: 1 }),
      memoryLogger().logger,
    );
    try {
      await upstream.start();
      const outcome = await callTool(
        upstream,
        "sampling",
        { prompt: "hi" },
        {
          onServerRequest: async () => ({
            result: { role: "assistant", content: { type: "text", text: "ok" }, model: "m" },
          }),
        },
      );
      assert.equal(textOf(outcome), "model said: ok");
      const controller = new AbortController();
      const slow = callTool(upstream, "slow", { ms: 10_000 }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await assert.rejects(slow, { name: "AbortError" });
      // The abandoned stream was dropped, so the single connection is free again.
      assert.equal(
        textOf(await callTool(upstream, "echo", { text: "free" }, { timeoutMs: 3000 })),
        "free",
      );
    } finally {
      await upstream.stop(500);
      await own.stop();
    }
  });
});
