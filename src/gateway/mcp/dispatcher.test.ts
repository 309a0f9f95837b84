import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MemoryUpstream, toolList } from "../../../test/support/memory-upstream.ts";
import { SophiaError } from "../../shared/errors.ts";
import { silentLogger } from "../../shared/logger.ts";
import { Catalog } from "../catalog/catalog.ts";
import type { JsonRpcMessage, JsonRpcRequest } from "../jsonrpc/messages.ts";
import type { MessageSink } from "../session/message-sink.ts";
import type { Scope } from "../session/session.ts";
import { Dispatcher } from "./dispatcher.ts";

function setup(...upstreams: MemoryUpstream[]) {
  const map = new Map(upstreams.map((u) => [u.name, u]));
  const catalog = new Catalog({ separator: "__", logger: silentLogger() });
  for (const u of upstreams) catalog.add(u);
  return new Dispatcher({ upstreams: map, catalog, logger: silentLogger() });
}

class RecordingSink implements MessageSink {
  open = true;
  readonly messages: JsonRpcMessage[] = [];
  send(message: JsonRpcMessage): void {
    this.messages.push(message);
  }
}

let nextId = 1;
function req(method: string, params?: Record<string, unknown>): JsonRpcRequest {
  return { jsonrpc: "2.0", id: nextId++, method, ...(params ? { params } : {}) };
}

async function open(
  dispatcher: Dispatcher,
  scope: Scope = { kind: "aggregate" },
  capabilities: Record<string, unknown> = {},
) {
  const { session, result } = await dispatcher.initialize("s1", scope, {
    protocolVersion: "2025-06-18",
    capabilities,
  });
  return { session, result };
}

describe("Dispatcher, aggregate scope", () => {
  test("initialize echoes a supported version and offers list-changed capabilities", async () => {
    const { result } = await open(setup());
    assert.equal(result.protocolVersion, "2025-06-18");
    assert.deepEqual((result.capabilities as Record<string, unknown>).tools, { listChanged: true });
  });

  test("tools/call goes to the owning server under the upstream's own name", async () => {
    const files = new MemoryUpstream("files")
      .on("tools/list", toolList("read"))
      .on("tools/call", (p) => ({
        result: {
          content: [
            { type: "text", text: `read ${JSON.stringify(p?.arguments)} as ${String(p?.name)}` },
          ],
        },
      }));
    const d = setup(files, new MemoryUpstream("other").on("tools/list", toolList("read")));
    const { session } = await open(d);
    const response = await d.request(
      session,
      req("tools/call", { name: "files__read", arguments: { path: "/x" } }),
      new RecordingSink(),
    );
    assert.ok("result" in response);
    assert.deepEqual(response.result.content, [
      { type: "text", text: 'read {"path":"/x"} as read' },
    ]);
  });

  test("an unknown tool is a JSON-RPC invalid-params error naming the tool", async () => {
    const d = setup(new MemoryUpstream("files").on("tools/list", toolList("read")));
    const { session } = await open(d);
    const response = await d.request(
      session,
      req("tools/call", { name: "ghost__x" }),
      new RecordingSink(),
    );
    assert.ok("error" in response);
    assert.equal(response.error.code, -32602);
    assert.match(response.error.message, /ghost__x/);
  });

  test("a name with a known prefix but unlisted tool is asked of that server (it may be brand new)", async () => {
    const files = new MemoryUpstream("files").on("tools/list", toolList("read"));
    const d = setup(files);
    const { session } = await open(d);
    await d.request(session, req("tools/call", { name: "files__fresh" }), new RecordingSink());
    assert.deepEqual(files.calls.at(-1), { method: "tools/call", params: { name: "fresh" } });
  });

  test("an unreachable upstream turns a tool call into a tool error result, not a transport error", async () => {
    const u = new MemoryUpstream("flaky").on("tools/list", toolList("t")).on("tools/call", () => {
      throw new SophiaError(
        "UPSTREAM_UNAVAILABLE",
        "server flaky exited with code 1 while tools/call was in flight",
      );
    });
    const d = setup(u);
    const { session } = await open(d);
    const response = await d.request(
      session,
      req("tools/call", { name: "flaky__t" }),
      new RecordingSink(),
    );
    assert.ok("result" in response);
    assert.equal(response.result.isError, true);
    assert.match(JSON.stringify(response.result.content), /exited with code 1/);
  });

  test("progress from the upstream reaches the calling request's own stream", async () => {
    const u = new MemoryUpstream("p")
      .on("tools/list", toolList("slow"))
      .on("tools/call", (_p, ctx) => {
        ctx?.onNotification?.({
          jsonrpc: "2.0",
          method: "notifications/progress",
          params: { progressToken: "tok", progress: 1 },
        });
        return { result: { content: [] } };
      });
    const d = setup(u);
    const { session } = await open(d);
    const sink = new RecordingSink();
    await d.request(
      session,
      req("tools/call", { name: "p__slow", _meta: { progressToken: "tok" } }),
      sink,
    );
    assert.deepEqual(sink.messages, [
      {
        jsonrpc: "2.0",
        method: "notifications/progress",
        params: { progressToken: "tok", progress: 1 },
      },
    ]);
  });

  test("a sampling request is relayed to the calling client and its answer returns upstream", async () => {
    const u = new MemoryUpstream("s")
      .on("tools/list", toolList("ask"))
      .on("tools/call", async (_p, ctx) => {
        const answer = await ctx!.onServerRequest!(
          "sampling/createMessage",
          { messages: [] },
          new AbortController().signal,
        );
        return { result: { content: [{ type: "text", text: JSON.stringify(answer) }] } };
      });
    const d = setup(u);
    const { session } = await open(d, { kind: "aggregate" }, { sampling: {} });
    const sink = new RecordingSink();
    const pending = d.request(session, req("tools/call", { name: "s__ask" }), sink);
    await new Promise((r) => setImmediate(r));
    const relayed = sink.messages[0] as JsonRpcRequest;
    assert.equal(relayed.method, "sampling/createMessage");
    assert.ok(
      d.response(session, {
        jsonrpc: "2.0",
        id: relayed.id,
        result: { role: "assistant", content: { type: "text", text: "hi" } },
      }),
    );
    const response = await pending;
    assert.ok("result" in response);
    assert.match(JSON.stringify(response.result.content), /assistant/);
  });

  test("a client without the sampling capability gets the upstream a clear error instead", async () => {
    const u = new MemoryUpstream("s")
      .on("tools/list", toolList("ask"))
      .on("tools/call", async (_p, ctx) => {
        const answer = await ctx!.onServerRequest!(
          "sampling/createMessage",
          {},
          new AbortController().signal,
        );
        return { result: { content: [{ type: "text", text: JSON.stringify(answer) }] } };
      });
    const d = setup(u);
    const { session } = await open(d);
    const response = await d.request(
      session,
      req("tools/call", { name: "s__ask" }),
      new RecordingSink(),
    );
    assert.ok("result" in response);
    assert.match(JSON.stringify(response.result.content), /does not support sampling/);
  });

  test("notifications/cancelled aborts the matching in-flight call", async () => {
    let aborted = false;
    const u = new MemoryUpstream("c").on("tools/list", toolList("wait")).on(
      "tools/call",
      (_p, ctx) =>
        new Promise((resolve) => {
          ctx!.signal!.addEventListener("abort", () => {
            aborted = true;
            resolve({ error: { code: -32800, message: "cancelled" } });
          });
        }),
    );
    const d = setup(u);
    const { session } = await open(d);
    const call = req("tools/call", { name: "c__wait" });
    const pending = d.request(session, call, new RecordingSink());
    await new Promise((r) => setImmediate(r));
    d.notification(session, {
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: call.id },
    });
    await pending;
    assert.ok(aborted);
  });

  test("resource subscriptions are shared upstream: subscribe once, unsubscribe after the last client", async () => {
    const u = new MemoryUpstream("r")
      .on("resources/list", () => ({ result: { resources: [{ uri: "test://a", name: "a" }] } }))
      .on("resources/subscribe", () => ({ result: {} }))
      .on("resources/unsubscribe", () => ({ result: {} }));
    const d = setup(u);
    const one = (await d.initialize("1", { kind: "aggregate" }, {})).session;
    const two = (await d.initialize("2", { kind: "aggregate" }, {})).session;
    await d.request(one, req("resources/subscribe", { uri: "test://a" }), new RecordingSink());
    await d.request(two, req("resources/subscribe", { uri: "test://a" }), new RecordingSink());
    await d.request(one, req("resources/unsubscribe", { uri: "test://a" }), new RecordingSink());
    const count = (m: string) => u.calls.filter((c) => c.method === m).length;
    assert.equal(count("resources/subscribe"), 1);
    assert.equal(count("resources/unsubscribe"), 0);
    d.closeSession(two);
    assert.equal(count("resources/unsubscribe"), 1);
  });

  test("an unknown resource URI is a resource-not-found error", async () => {
    const d = setup(
      new MemoryUpstream("r").on("resources/list", () => ({ result: { resources: [] } })),
    );
    const { session } = await open(d);
    const response = await d.request(
      session,
      req("resources/read", { uri: "test://missing" }),
      new RecordingSink(),
    );
    assert.ok("error" in response);
    assert.equal(response.error.code, -32002);
  });
});

describe("Dispatcher, server scope", () => {
  test("initialize reflects the upstream and unknown methods pass through unchanged", async () => {
    const u = new MemoryUpstream("x", { tools: {}, experimental: { thing: {} } }).on(
      "custom/method",
      (p) => ({ result: { echoed: p } }),
    );
    const d = setup(u);
    const { session, result } = await open(d, { kind: "server", upstream: u });
    assert.deepEqual(result.capabilities, { tools: {}, experimental: { thing: {} } });
    const response = await d.request(session, req("custom/method", { a: 1 }), new RecordingSink());
    assert.ok("result" in response);
    assert.deepEqual(response.result, { echoed: { a: 1 } });
  });
});
