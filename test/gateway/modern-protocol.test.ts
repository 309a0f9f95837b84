import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Client, ProtocolError, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { startHttpFixture } from "../fixtures/conformance-server.ts";
import {
  CONFORMANCE_SERVER,
  connectClient,
  ROOT,
  startGateway,
  stdioEntry,
} from "../support/gateway-harness.ts";

const MODERN = "2026-07-28";
const FIXTURE = join(ROOT, "test/fixtures/upstreams/stdio-server.ts");
const JSON_AND_SSE = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

type Negotiation = ConstructorParameters<typeof Client>[1];

/** A real SDK v2 client; pinned to 2026-07-28 unless told otherwise. */
async function connectV2(url: string, options: Negotiation = {}, name = "modern-client") {
  const client = new Client(
    { name, version: "2.0.0" },
    { versionNegotiation: { mode: { pin: MODERN } }, ...options },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** A hand-built 2026-07-28 POST, for what the SDK client would never send. */
function modernPost(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return fetch(url, {
    method: "POST",
    headers: { ...JSON_AND_SSE, ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, ...body }),
  });
}

function envelope(version = MODERN) {
  return {
    "io.modelcontextprotocol/protocolVersion": version,
    "io.modelcontextprotocol/clientCapabilities": {},
  };
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 5_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("gateway /mcp for MCP 2026-07-28 clients (SDK v2), next to legacy ones", () => {
  let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
  let gw: Awaited<ReturnType<typeof startGateway>>;

  before(async () => {
    fixture = await startHttpFixture();
    gw = await startGateway({
      conf: stdioEntry(CONFORMANCE_SERVER, "--stdio"),
      fx: stdioEntry(FIXTURE),
      web: { url: fixture.url },
    });
  });
  after(async () => {
    await gw.stop();
    await fixture.close();
  });

  test("a pinned client connects through server/discover, with no initialize and no session", async () => {
    const client = await connectV2(`${gw.url}/mcp`);
    assert.equal(client.getProtocolEra(), "modern");
    assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
    assert.equal(client.getServerVersion()?.name, "sophia");
    const discover = await client.discover();
    assert.deepEqual(discover.supportedVersions, [MODERN]);
    assert.deepEqual(discover.capabilities.tools, { listChanged: true });
    assert.equal(gw.gateway.sessions.size, 0);
    await client.close();
  });

  test("tools/list is namespaced, and results carry resultType and cache hints on the wire", async () => {
    const client = await connectV2(`${gw.url}/mcp`);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(
      names.includes("conf__test_simple_text") && names.includes("fx__echo"),
      names.join(", "),
    );
    await client.close();
    const raw = await modernPost(
      `${gw.url}/mcp`,
      { method: "tools/list", params: { _meta: envelope() } },
      {
        "mcp-protocol-version": MODERN,
        "mcp-method": "tools/list",
      },
    );
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get("mcp-session-id"), null);
    const { result } = (await raw.json()) as { result: Record<string, unknown> };
    assert.equal(result.resultType, "complete");
    assert.equal(result.ttlMs, 0);
    assert.equal(result.cacheScope, "private");
  });

  test("tools/call reaches the owning server; progress reaches the caller", async () => {
    const client = await connectV2(`${gw.url}/mcp`);
    const text = await client.callTool({ name: "conf__test_simple_text", arguments: {} });
    assert.match(JSON.stringify(text.content), /simple text response/);
    const echoed = await client.callTool({ name: "fx__echo", arguments: { text: "héllo" } });
    assert.match(JSON.stringify(echoed.content), /héllo/);
    const seen: number[] = [];
    await client.callTool(
      { name: "conf__test_tool_with_progress", arguments: {} },
      { onprogress: (p) => seen.push(p.progress) },
    );
    assert.deepEqual(seen, [0, 50, 100]);
    await client.close();
  });

  test("log lines reach a call (HTTP upstream) only when its _meta asks for a level", async () => {
    const client = await connectV2(`${gw.url}/mcp`);
    const logged: unknown[] = [];
    client.setNotificationHandler("notifications/message", (n) => void logged.push(n.params.data));
    await client.callTool({ name: "web__test_tool_with_logging", arguments: {} });
    assert.equal(logged.length, 0);
    await client.callTool({
      name: "web__test_tool_with_logging",
      arguments: {},
      _meta: { "io.modelcontextprotocol/logLevel": "info" },
    });
    assert.equal(logged.length, 3);
    await client.close();
  });

  test("resources and prompts route to their server; a missing resource is -32602", async () => {
    const client = await connectV2(`${gw.url}/mcp`);
    const text = await client.readResource({ uri: "test://static-text" });
    assert.match(JSON.stringify(text.contents), /static text resource/);
    const templated = await client.readResource({ uri: "test://template/42/data" });
    assert.match(JSON.stringify(templated.contents), /42/);
    const prompt = await client.getPrompt({
      name: "conf__test_prompt_with_arguments",
      arguments: { arg1: "a", arg2: "b" },
    });
    assert.ok(prompt.messages.length > 0);
    const missing = await client.readResource({ uri: "test://nowhere" }).catch((e: unknown) => e);
    assert.ok(missing instanceof ProtocolError);
    assert.equal(missing.code, -32602);
    await client.close();
  });

  test("sampling asked mid-call (HTTP upstream) reaches the calling client through input_required, never another", async () => {
    const clients = await Promise.all(
      ["alice", "bob"].map(async (name) => {
        const client = await connectV2(`${gw.url}/mcp`, { capabilities: { sampling: {} } }, name);
        client.setRequestHandler("sampling/createMessage", async () => {
          await new Promise((r) => setTimeout(r, 20));
          return {
            role: "assistant",
            model: name,
            content: { type: "text", text: `answer from ${name}` },
          };
        });
        return { name, client };
      }),
    );
    const calls = clients.flatMap(({ name, client }) =>
      [1, 2, 3].map(async () => ({
        name,
        result: await client.callTool({ name: "web__test_sampling", arguments: { prompt: "hi" } }),
      })),
    );
    for (const { name, result } of await Promise.all(calls))
      assert.match(JSON.stringify(result.content), new RegExp(`answer from ${name}`));
    await Promise.all(clients.map(({ client }) => client.close()));
  });

  test("elicitation is relayed with its schema, and the answer returns upstream", async () => {
    const client = await connectV2(`${gw.url}/mcp`, {
      capabilities: { elicitation: { form: {} } },
    });
    let schema: unknown;
    client.setRequestHandler("elicitation/create", async (request) => {
      schema = "requestedSchema" in request.params ? request.params.requestedSchema : undefined;
      return { action: "accept", content: { username: "ada", email: "ada@example.com" } };
    });
    const result = await client.callTool({
      name: "conf__test_elicitation",
      arguments: { message: "who?" },
    });
    assert.ok(schema && typeof schema === "object");
    assert.match(JSON.stringify(result.content), /action=accept/);
    await client.close();
  });

  test("aborting a call closes its exchange and cancels it upstream", async () => {
    const client = await connectV2(`${gw.url}/mcp`);
    const cancelledSoFar = async () => {
      const first = (await client.callTool({ name: "fx__stats", arguments: {} })).content[0];
      return (JSON.parse(first?.type === "text" ? first.text : "{}") as { cancelled: number })
        .cancelled;
    };
    const before = await cancelledSoFar();
    const abort = new AbortController();
    const call = client.callTool(
      { name: "fx__slow", arguments: { ms: 10_000 } },
      { signal: abort.signal },
    );
    setTimeout(() => abort.abort("changed my mind"), 200);
    await assert.rejects(call);
    await until(
      async () => (await cancelledSoFar()) > before,
      "the upstream to see the cancellation",
    );
    await client.close();
  });

  test("subscriptions/listen delivers list changes and holds resource subscriptions upstream", async () => {
    const client = await connectV2(`${gw.url}/mcp`);
    let changes = 0;
    client.setNotificationHandler("notifications/tools/list_changed", () => void changes++);
    const listening = await client.listen({
      toolsListChanged: true,
      resourceSubscriptions: ["test://watched-resource", "test://nowhere"],
    });
    assert.deepEqual(listening.honoredFilter, {
      toolsListChanged: true,
      resourceSubscriptions: ["test://watched-resource"],
    });
    await client.callTool({ name: "fx__add_tool", arguments: { name: "late_tool" } });
    await until(() => changes > 0, "notifications/tools/list_changed on the listen stream");
    const names = (await client.listTools(undefined, { cacheMode: "refresh" })).tools.map(
      (t) => t.name,
    );
    assert.ok(names.includes("fx__late_tool"));
    await listening.close();
    await client.close();
  });

  test("header and envelope disagreements are 400s with the revision's codes", async () => {
    const url = `${gw.url}/mcp`;
    const call = {
      method: "tools/call",
      params: { name: "conf__test_simple_text", _meta: envelope() },
    };
    const headers = { "mcp-protocol-version": MODERN, "mcp-method": "tools/call" };
    const cases: Array<[string, Response, number]> = [
      [
        "Mcp-Name names another tool",
        await modernPost(url, call, { ...headers, "mcp-name": "conf__other" }),
        -32020,
      ],
      [
        "Mcp-Method names another method",
        await modernPost(url, call, {
          ...headers,
          "mcp-method": "tools/list",
          "mcp-name": "conf__test_simple_text",
        }),
        -32020,
      ],
      [
        "MCP-Protocol-Version is missing",
        await modernPost(url, call, {
          "mcp-method": "tools/call",
          "mcp-name": "conf__test_simple_text",
        }),
        -32020,
      ],
      [
        "_meta names a revision we do not serve",
        await modernPost(
          url,
          { method: "tools/list", params: { _meta: envelope("2099-01-01") } },
          { "mcp-method": "tools/list" },
        ),
        -32022,
      ],
      [
        "the header names 2026-07-28 but there is no _meta",
        await modernPost(
          url,
          { method: "tools/list" },
          { "mcp-protocol-version": MODERN, "mcp-method": "tools/list" },
        ),
        -32602,
      ],
      [
        "initialize with a 2026-07-28 header",
        await modernPost(
          url,
          {
            method: "initialize",
            params: {
              protocolVersion: "2025-06-18",
              capabilities: {},
              clientInfo: { name: "x", version: "1" },
            },
          },
          { "mcp-protocol-version": MODERN },
        ),
        -32020,
      ],
    ];
    for (const [what, response, code] of cases) {
      assert.equal(response.status, 400, what);
      const body = (await response.json()) as {
        id: unknown;
        error: { code: number; data?: { supported?: string[] } };
      };
      assert.equal(body.error.code, code, what);
      assert.equal(body.id, 7, what);
      if (code === -32022) assert.deepEqual(body.error.data?.supported, [MODERN]);
    }
    const removed = await modernPost(
      url,
      { method: "resources/subscribe", params: { uri: "test://static-text", _meta: envelope() } },
      { "mcp-protocol-version": MODERN, "mcp-method": "resources/subscribe" },
    );
    assert.equal(((await removed.json()) as { error: { code: number } }).error.code, -32601);
  });

  test("/servers/<name>/mcp speaks the revision with the upstream's own names and identity", async () => {
    const client = await connectV2(`${gw.url}/servers/conf/mcp`);
    assert.equal(client.getServerVersion()?.name, "sophia-conformance-fixture");
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes("test_simple_text"));
    const result = await client.callTool({ name: "test_simple_text", arguments: {} });
    assert.match(JSON.stringify(result.content), /simple text response/);
    await client.close();
  });

  test("a v2 client left to its defaults does the legacy handshake; in auto mode it probes and lands on 2026-07-28", async () => {
    const plain = new Client({ name: "defaults", version: "2.0.0" });
    await plain.connect(new StreamableHTTPClientTransport(new URL(`${gw.url}/mcp`)));
    assert.equal(plain.getProtocolEra(), "legacy");
    assert.equal(plain.getNegotiatedProtocolVersion(), "2025-11-25");
    assert.match(
      JSON.stringify(
        (await plain.callTool({ name: "conf__test_simple_text", arguments: {} })).content,
      ),
      /simple text/,
    );
    await plain.close();
    const auto = await connectV2(`${gw.url}/mcp`, { versionNegotiation: { mode: "auto" } });
    assert.equal(auto.getNegotiatedProtocolVersion(), MODERN);
    assert.match(
      JSON.stringify(
        (await auto.callTool({ name: "conf__test_simple_text", arguments: {} })).content,
      ),
      /simple text/,
    );
    await auto.close();
  });

  test("a v1 SDK client with a session and a 2026-07-28 client work side by side", async () => {
    const legacy = await connectClient(`${gw.url}/mcp`);
    const modern = await connectV2(`${gw.url}/mcp`);
    const sessions = gw.gateway.sessions.size;
    const progress = { legacy: [] as number[], modern: [] as number[] };
    const [a, b, c, d] = await Promise.all([
      legacy.callTool({ name: "conf__test_tool_with_progress", arguments: {} }, undefined, {
        onprogress: (p) => progress.legacy.push(p.progress),
      }),
      modern.callTool(
        { name: "conf__test_tool_with_progress", arguments: {} },
        { onprogress: (p) => progress.modern.push(p.progress) },
      ),
      legacy.callTool({ name: "fx__echo", arguments: { text: "from v1" } }),
      modern.callTool({ name: "fx__echo", arguments: { text: "from v2" } }),
    ]);
    assert.deepEqual(
      [progress.legacy, progress.modern],
      [
        [0, 50, 100],
        [0, 50, 100],
      ],
    );
    assert.ok(a && b);
    assert.match(JSON.stringify(c.content), /from v1/);
    assert.match(JSON.stringify(d.content), /from v2/);
    assert.equal(gw.gateway.sessions.size, sessions, "the modern client holds no session");
    await Promise.all([legacy.close(), modern.close()]);
  });
});

describe("gateway shutdown with 2026-07-28 clients", () => {
  test("open listen streams end gracefully, with the listen request's result", async () => {
    const gw = await startGateway({ fx: stdioEntry(FIXTURE) });
    try {
      const client = await connectV2(`${gw.url}/mcp`);
      const listening = await client.listen({ toolsListChanged: true });
      const started = Date.now();
      await gw.stop();
      const cause = await Promise.race([
        listening.closed,
        new Promise((r) => setTimeout(() => r("still open"), 5_000)),
      ]);
      assert.equal(cause, "graceful");
      assert.ok(Date.now() - started < 5_000);
      await client.close();
    } finally {
      await gw.stop();
    }
  });
});
