import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CONFORMANCE_SERVER,
  connectClient,
  startGateway,
  stdioEntry,
} from "../support/gateway-harness.ts";

const JSON_AND_SSE = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

describe("gateway HTTP surface", () => {
  let gw: Awaited<ReturnType<typeof startGateway>>;

  before(async () => {
    gw = await startGateway({ conf: stdioEntry(CONFORMANCE_SERVER, "--stdio") });
  });
  after(() => gw.stop());

  test("/healthz answers and /readyz lists each upstream's state", async () => {
    assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
    const ready = await fetch(`${gw.url}/readyz`);
    const body = (await ready.json()) as {
      ready: boolean;
      upstreams: Record<string, { state: string }>;
    };
    assert.equal(ready.status, 200);
    assert.equal(body.upstreams.conf?.state, "ready");
  });

  test("/metrics counts tool calls per server and tool", async () => {
    const client = await connectClient(`${gw.url}/mcp`);
    await client.callTool({ name: "conf__test_simple_text", arguments: {} });
    await client.close();
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(
      text,
      /sophia_tool_calls_total\{server="conf",tool="test_simple_text",status="ok"\} [1-9]/,
    );
    assert.match(text, /sophia_upstream_up\{server="conf",state="ready"\} 1/);
  });

  test("REST: list tools, call one with JSON arguments, and describe them in OpenAPI 3.1", async () => {
    const list = (await (await fetch(`${gw.url}/v1/tools`)).json()) as {
      tools: Array<{ server: string; name: string }>;
    };
    assert.ok(list.tools.some((t) => t.server === "conf" && t.name === "test_simple_text"));
    const call = await fetch(`${gw.url}/v1/tools/conf/test_simple_text`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(call.status, 200);
    assert.match(JSON.stringify(await call.json()), /simple text response/);
    const failing = await fetch(`${gw.url}/v1/tools/conf/test_error_handling`, {
      method: "POST",
      body: "{}",
    });
    assert.equal(failing.status, 422);
    const unknown = await fetch(`${gw.url}/v1/tools/nobody/x`, { method: "POST", body: "{}" });
    assert.equal(unknown.status, 404);
    const noTool = await fetch(`${gw.url}/v1/tools/conf/no_such_tool`, {
      method: "POST",
      body: "{}",
    });
    assert.equal(noTool.status, 404);
    assert.equal(((await noTool.json()) as { error: { code: string } }).error.code, "UNKNOWN_TOOL");
    const bad = await fetch(`${gw.url}/v1/tools/conf/test_simple_text`, {
      method: "POST",
      body: "[1]",
    });
    assert.equal(bad.status, 400);
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    assert.equal(doc.openapi, "3.1.0");
    assert.ok(doc.paths["/v1/tools/conf/test_simple_text"]);
  });

  test("a browser Origin from elsewhere and a rebinding Host are refused", async () => {
    const origin = await fetch(`${gw.url}/mcp`, {
      method: "POST",
      headers: { ...JSON_AND_SSE, origin: "http://evil.example.com" },
      body: "{}",
    });
    assert.equal(origin.status, 403);
    const local = await fetch(`${gw.url}/healthz`, {
      headers: { origin: "http://localhost:3000" },
    });
    assert.equal(local.status, 200);
  });

  test("malformed bodies get JSON-RPC errors with the right status", async () => {
    const parse = await fetch(`${gw.url}/mcp`, {
      method: "POST",
      headers: JSON_AND_SSE,
      body: "{not json",
    });
    assert.equal(parse.status, 400);
    assert.equal(((await parse.json()) as { error: { code: number } }).error.code, -32700);
    const batch = await fetch(`${gw.url}/mcp`, {
      method: "POST",
      headers: JSON_AND_SSE,
      body: "[]",
    });
    assert.equal(batch.status, 400);
    const big = await fetch(`${gw.url}/mcp`, {
      method: "POST",
      headers: JSON_AND_SSE,
      body: `{"x":"${"a".repeat(5 * 1024 * 1024)}"}`,
    });
    assert.equal(big.status, 413);
  });

  test("a request without a session is 400, with an unknown session 404", async () => {
    const ping = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
    const none = await fetch(`${gw.url}/mcp`, {
      method: "POST",
      headers: JSON_AND_SSE,
      body: ping,
    });
    assert.equal(none.status, 400);
    const unknown = await fetch(`${gw.url}/mcp`, {
      method: "POST",
      headers: { ...JSON_AND_SSE, "mcp-session-id": "nope" },
      body: ping,
    });
    assert.equal(unknown.status, 404);
  });

  test("/servers/<name>/mcp passes one server through with its own names", async () => {
    const client = await connectClient(`${gw.url}/servers/conf/mcp`);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes("test_simple_text"));
    assert.equal(client.getServerVersion()?.name, "sophia-conformance-fixture");
    await client.close();
    const missing = await fetch(`${gw.url}/servers/nope/mcp`, {
      method: "POST",
      headers: JSON_AND_SSE,
      body: "{}",
    });
    assert.equal(missing.status, 404);
  });

  test("DELETE ends a session", async () => {
    const init = await fetch(`${gw.url}/mcp`, {
      method: "POST",
      headers: JSON_AND_SSE,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "t", version: "1" },
        },
      }),
    });
    const session = init.headers.get("mcp-session-id");
    assert.ok(session);
    const del = await fetch(`${gw.url}/mcp`, {
      method: "DELETE",
      headers: { "mcp-session-id": session },
    });
    assert.equal(del.status, 200);
    const after = await fetch(`${gw.url}/mcp`, {
      method: "POST",
      headers: { ...JSON_AND_SSE, "mcp-session-id": session },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }),
    });
    assert.equal(after.status, 404);
  });
});
