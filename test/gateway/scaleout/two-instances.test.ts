import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type HttpFixture, startHttpFixture } from "../../fixtures/conformance-server.ts";
import { CONFORMANCE_SERVER, ROOT, stdioEntry } from "../../support/gateway-harness.ts";
import {
  dropKeys,
  keyExists,
  LEGACY,
  MODERN,
  post,
  responseOf,
  type Started,
  startShared,
  uniquePrefix,
} from "./support.ts";

const FIXTURE = join(ROOT, "test/fixtures/upstreams/stdio-server.ts");

describe("two gateway instances sharing sessions through the real Redis, no sticky sessions", () => {
  const prefix = uniquePrefix();
  let fixture: HttpFixture;
  let a: Started;
  let b: Started;

  before(async () => {
    // The same upstreams behind both: stdio processes of their own, one HTTP server they share.
    fixture = await startHttpFixture();
    const servers = {
      conf: stdioEntry(CONFORMANCE_SERVER, "--stdio"),
      fx: stdioEntry(FIXTURE),
      web: { url: fixture.url },
    };
    a = await startShared(servers, prefix);
    b = await startShared(servers, prefix);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await fixture?.close();
    await dropKeys(prefix);
  });

  /** One client whose requests a load balancer spreads over both instances. */
  async function openSession(on: Started, version = LEGACY) {
    const init = await post(`${on.url}/mcp`, {
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: version,
        capabilities: {},
        clientInfo: { name: "alternating", version: "1" },
      },
    });
    assert.equal(init.status, 200);
    const id = init.sessionId;
    assert.ok(id, "initialize answers with a session id");
    let next = 2;
    const send = (to: Started, method: string, params?: Record<string, unknown>) =>
      post(
        `${to.url}/mcp`,
        { id: next++, method, ...(params ? { params } : {}) },
        { "mcp-session-id": id, "mcp-protocol-version": version },
      );
    return { id, send };
  }

  async function logLines(reply: ReturnType<typeof post>): Promise<number> {
    const r = await reply;
    assert.equal(r.status, 200);
    assert.equal(responseOf(r).error, undefined, JSON.stringify(responseOf(r)));
    return r.messages.filter((m) => m.method === "notifications/message").length;
  }

  test("initialize on A, then list and calls alternating A and B, on the same session", async () => {
    const { id, send } = await openSession(a);
    assert.match(id, /^[\w-]{22}\.[\w-]{22}$/, "a signed handle");
    assert.ok(await keyExists(`${prefix}session:${id}`), "the session is in Redis");
    const initialized = await post(
      `${b.url}/mcp`,
      { method: "notifications/initialized" },
      { "mcp-session-id": id },
    );
    assert.equal(initialized.status, 202);
    const list = responseOf(await send(b, "tools/list")).result as {
      tools: Array<{ name: string }>;
    };
    assert.ok(list.tools.some((t) => t.name === "conf__test_simple_text"));
    for (const [i, on] of [a, b, a, b].entries()) {
      const reply = await send(on, "tools/call", {
        name: "fx__echo",
        arguments: { text: `#${i}` },
      });
      assert.equal(reply.status, 200);
      assert.match(JSON.stringify(responseOf(reply).result), new RegExp(`#${i}`));
    }
    assert.equal(a.gateway.sessions.size >= 1 && b.gateway.sessions.size >= 1, true);
  });

  test("logging/setLevel on one instance is honoured by a call on the other", async () => {
    const { send } = await openSession(a);
    assert.equal(await logLines(send(a, "tools/call", { name: "web__test_tool_with_logging" })), 3);
    assert.equal(
      responseOf(await send(b, "logging/setLevel", { level: "error" })).error,
      undefined,
    );
    assert.equal(await logLines(send(a, "tools/call", { name: "web__test_tool_with_logging" })), 0);
    assert.equal(responseOf(await send(a, "logging/setLevel", { level: "info" })).error, undefined);
    assert.equal(await logLines(send(b, "tools/call", { name: "web__test_tool_with_logging" })), 3);
  });

  test("a resource subscription made on B is held by A's copy of the session too", async () => {
    const { id, send } = await openSession(a);
    const uri = "test://watched-resource";
    assert.equal(responseOf(await send(b, "resources/subscribe", { uri })).error, undefined);
    await send(a, "ping");
    assert.deepEqual([...(a.gateway.sessions.get(id)?.subscriptions ?? [])], [uri]);
    assert.equal(responseOf(await send(a, "resources/unsubscribe", { uri })).error, undefined);
    await send(b, "ping");
    assert.deepEqual([...(b.gateway.sessions.get(id)?.subscriptions ?? [])], []);
  });

  test("DELETE on B ends the session everywhere: A answers 404 and drops its copy", async () => {
    const { id, send } = await openSession(a);
    assert.equal((await send(b, "ping")).status, 200);
    const deleted = await fetch(`${b.url}/mcp`, {
      method: "DELETE",
      headers: { "mcp-session-id": id },
    });
    assert.equal(deleted.status, 200);
    assert.equal(await keyExists(`${prefix}session:${id}`), false);
    const onA = await send(a, "ping");
    assert.equal(onA.status, 404);
    assert.equal(responseOf(onA).error && (responseOf(onA).error as { code: number }).code, -32005);
    assert.equal(a.gateway.sessions.get(id), undefined);
    assert.equal((await send(b, "ping")).status, 404);
  });

  test("a forged or altered session id is refused with 404 on either instance", async () => {
    const { id } = await openSession(a);
    const altered = `${id.slice(0, 5)}${id[5] === "A" ? "B" : "A"}${id.slice(6)}`;
    for (const forged of [altered, "3b241101-e2bb-4255-8caf-4136c566a962"]) {
      for (const on of [a, b]) {
        const reply = await post(
          `${on.url}/mcp`,
          { id: 9, method: "ping" },
          { "mcp-session-id": forged },
        );
        assert.equal(reply.status, 404, `${forged} on ${on.url}`);
      }
    }
  });

  test("2025-11-25 sessions (resumable streams) alternate too", async () => {
    const { send } = await openSession(b, "2025-11-25");
    for (const on of [a, b, a]) {
      const reply = await send(on, "tools/call", { name: "conf__test_simple_text" });
      assert.match(JSON.stringify(responseOf(reply).result), /simple text response/);
    }
  });

  test("2026-07-28 requests alternate freely; a parked call answers only where it waits", async () => {
    const headers = (method: string, name?: string) => ({
      "mcp-protocol-version": MODERN,
      "mcp-method": method,
      ...(name ? { "mcp-name": name } : {}),
    });
    const meta = {
      "io.modelcontextprotocol/protocolVersion": MODERN,
      "io.modelcontextprotocol/clientCapabilities": { sampling: {} },
    };
    for (const on of [a, b]) {
      const list = await post(
        `${on.url}/mcp`,
        { id: 1, method: "tools/list", params: { _meta: meta } },
        headers("tools/list"),
      );
      assert.equal(list.status, 200);
      assert.equal(list.sessionId, null);
    }
    const call = (on: Started, extra: Record<string, unknown> = {}) =>
      post(
        `${on.url}/mcp`,
        {
          id: 5,
          method: "tools/call",
          params: { name: "fx__sampling", arguments: { prompt: "hi" }, _meta: meta, ...extra },
        },
        headers("tools/call", "fx__sampling"),
      );
    const first = responseOf(await call(a)).result as Record<string, unknown>;
    assert.equal(first.resultType, "input_required");
    const requestState = first.requestState as string;
    const [key] = Object.keys(first.inputRequests as object);
    assert.ok(key);
    const answer = { role: "assistant", model: "m", content: { type: "text", text: "pong" } };
    const inputResponses = { [key]: answer };
    const elsewhere = responseOf(await call(b, { requestState, inputResponses }));
    const error = elsewhere.error as { code: number; message: string };
    assert.equal(error.code, -32602);
    assert.match(error.message, /waiting on gateway instance [0-9a-f]{12}/);
    const resumed = responseOf(await call(a, { requestState, inputResponses }));
    assert.match(JSON.stringify(resumed.result), /model said: pong/);
  });
});
