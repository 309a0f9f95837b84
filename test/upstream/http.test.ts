import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { createUpstream } from "../../src/gateway/upstream/create-upstream.ts";
import { isSophiaError } from "../../src/shared/errors.ts";
import { upstreamScenarios } from "./scenarios.ts";
import {
  callTool,
  eventually,
  HttpFixture,
  httpConfig,
  memoryLogger,
  startFor,
  textOf,
} from "./support.ts";

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

  test("JSON responses (no SSE) are mapped back to their calls", async (t) => {
    const upstream = createUpstream("fx", httpConfig(server.url("/mcp")), memoryLogger().logger);
    await startFor(t, upstream);
    try {
      const texts = Array.from({ length: 100 }, (_, i) => `json-${i}`);
      const answers = await Promise.all(texts.map((text) => callTool(upstream, "echo", { text })));
      assert.deepEqual(answers.map(textOf), texts);
    } finally {
      await upstream.stop(1000);
    }
  });

  test("a server that forgot the session (restarted): the next call succeeds on a new session", async (t) => {
    const own = await HttpFixture.start();
    const upstream = createUpstream("fx", httpConfig(own.url("/mcp")), memoryLogger().logger);
    await startFor(t, upstream);
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

  test("an unreachable URL: start() rejects naming the address, without its query", async (t) => {
    const upstream = createUpstream(
      "nowhere",
      httpConfig("http://127.0.0.1:9/mcp?api_key=secret", { connectTimeoutMs: 500 }),
      memoryLogger().logger,
    );
    t.after(() => upstream.stop(100));
    await assert.rejects(upstream.start(), (error: unknown) => {
      assert.ok(isSophiaError(error, "UPSTREAM_UNAVAILABLE"));
      assert.match(error.message, /could not be reached at http:\/\/127\.0\.0\.1:9\/mcp \(/);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
    await upstream.stop(100);
  });

  test("with the only pool connection held by a call's stream, its sampling answer and a cancel still get through", async (t) => {
    const own = await HttpFixture.start();
    const upstream = createUpstream(
      "fx",
      httpConfig(own.url("/mcp"), { connections: 1 }),
      memoryLogger().logger,
    );
    try {
      await startFor(t, upstream);
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

  test("sends the MCP headers and the configured ones, tolerates a 405 GET stream, deletes the session on close", async (t) => {
    const seen: Array<{ method: string; headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        seen.push({ method: req.method ?? "", headers: req.headers, body });
        if (req.method !== "POST")
          return void res.writeHead(req.method === "GET" ? 405 : 200).end();
        const message = JSON.parse(body);
        if (message.id === undefined) return void res.writeHead(202).end();
        const result =
          message.method === "initialize"
            ? {
                protocolVersion: "2025-06-18",
                capabilities: {},
                serverInfo: { name: "raw", version: "1" },
              }
            : { content: [{ type: "text", text: "hi" }] };
        res.writeHead(200, { "content-type": "application/json", "mcp-session-id": "session-1" });
        res.end(JSON.stringify({ jsonrpc: "2.0", id: message.id, result }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const { logger, lines } = memoryLogger();
    const headers = { Authorization: "Bearer top-secret-token", "X-Tenant": "acme" };
    const upstream = createUpstream(
      "raw",
      httpConfig(`http://127.0.0.1:${port}/mcp`, { headers }),
      logger,
    );
    try {
      await startFor(t, upstream);
      assert.equal(textOf(await callTool(upstream, "any")), "hi");
      await eventually(() => seen.some((r) => r.method === "GET"));
    } finally {
      await upstream.stop(500);
      server.close();
    }
    const [init, initialized] = seen;
    assert.equal(init?.headers.accept, "application/json, text/event-stream");
    assert.equal(init?.headers["content-type"], "application/json");
    assert.equal(init?.headers.authorization, "Bearer top-secret-token");
    assert.equal(init?.headers["x-tenant"], "acme");
    assert.equal(init?.headers["mcp-session-id"], undefined);
    assert.equal(initialized?.headers["mcp-session-id"], "session-1");
    assert.equal(initialized?.headers["mcp-protocol-version"], "2025-06-18");
    const call = seen.find((r) => r.body.includes('"tools/call"'));
    assert.equal(call?.headers["mcp-session-id"], "session-1");
    const closing = seen.at(-1);
    assert.equal(closing?.method, "DELETE");
    assert.equal(closing?.headers["mcp-session-id"], "session-1");
    assert.equal(upstream.state, "stopped");
    assert.ok(
      !JSON.stringify(lines).includes("top-secret-token"),
      "a header value reached the log",
    );
  });
});
