import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { type Item, loadCredential, loadSophia, type NodeError } from "./dist.ts";
import { startTestGateway, type TestGateway } from "./gateway.ts";
import { type ContextOptions, executeContext, testCredential } from "./stand-in.ts";

const node = loadSophia();
let gw: TestGateway;

before(async () => {
  gw = await startTestGateway();
});
after(async () => {
  await gw?.stop();
});

function context(parameters: ContextOptions["parameters"], extra: Partial<ContextOptions> = {}) {
  return executeContext({
    credentials: { sophiaApi: { url: `${gw.url}/`, apiKey: gw.key } },
    parameters,
    ...extra,
  });
}

async function run(ctx: ReturnType<typeof executeContext>): Promise<Item[]> {
  const output = await node.execute.call(ctx);
  assert.equal(output.length, 1, "one output");
  return output[0]!;
}

async function rejection(promise: Promise<unknown>): Promise<NodeError> {
  try {
    await promise;
  } catch (error) {
    return error as NodeError;
  }
  assert.fail("expected the node to throw");
}

/** A 127.0.0.1 port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("Sophia node with a stand-in n8n context against a real gateway (API keys on)", () => {
  test("the description n8n reads: usable as an AI tool, the sophiaApi credential", () => {
    assert.equal(node.description.name, "sophia");
    assert.equal(node.description.usableAsTool, true);
    assert.deepEqual(node.description.credentials, [{ name: "sophiaApi", required: true }]);
  });

  test("the credential test: GET /v1/tools is 200 with the key, 401 without or with a bad one", async () => {
    const credential = loadCredential("SophiaApi");
    const url = `${gw.url}/`;
    assert.equal((await testCredential(credential, { url, apiKey: gw.key })).statusCode, 200);
    assert.equal((await testCredential(credential, { url, apiKey: "" })).statusCode, 401);
    assert.equal(
      (await testCredential(credential, { url, apiKey: "sk_sophia_x_y" })).statusCode,
      401,
    );
  });

  test("load options: servers, then the chosen server's tools with their descriptions", async () => {
    const { getServers, getTools } = node.methods.loadOptions;
    const servers = await getServers!.call(context({}));
    assert.deepEqual(servers, [
      { name: "fx", value: "fx" },
      { name: "knowledge", value: "knowledge" },
    ]);
    const tools = await getTools!.call(context({ server: "fx" }));
    assert.deepEqual(tools, [
      { name: "echo", value: "echo", description: "Returns the text it is given." },
      { name: "fail", value: "fail", description: "Always reports a tool error." },
    ]);
  });

  test("Tool > List Tools: one item per tool, paired to the input, sent with the API key", async () => {
    const ctx = context({ resource: "tool", operation: "list" });
    const items = await run(ctx);
    const names = items.map((item) => `${item.json.server}/${item.json.name}`);
    assert.ok(names.includes("fx/echo") && names.includes("fx/fail"), names.join());
    assert.ok(names.includes("knowledge/search"), names.join());
    const echo = items.find((item) => item.json.name === "echo")!;
    assert.equal(echo.json.path, "/v1/tools/fx/echo");
    assert.deepEqual(echo.pairedItem, { item: 0 });
    assert.deepEqual(
      ctx.http.map((r) => `${r.method} ${r.url} ${r.headers.authorization}`),
      [`GET ${gw.url}/v1/tools Bearer ${gw.key}`],
    );
  });

  test("Tool > Call Tool: each input item calls the tool with its own arguments", async () => {
    const ctx = context(
      {
        resource: "tool",
        operation: "call",
        server: "fx",
        tool: "echo",
        arguments: (i: number) => (i === 0 ? '{"text": "first"}' : { text: "second" }),
      },
      { items: [{ json: {} }, { json: {} }] },
    );
    const items = await run(ctx);
    assert.deepEqual(
      items.map((item) => [
        item.json.server,
        item.json.tool,
        item.json.text,
        item.pairedItem?.item,
      ]),
      [
        ["fx", "echo", "first", 0],
        ["fx", "echo", "second", 1],
      ],
    );
    assert.deepEqual(items[0]!.json.content, [{ type: "text", text: "first" }]);
  });

  test("a tool error (HTTP 422) fails the node with NodeApiError and the tool's message", async () => {
    const ctx = context({
      resource: "tool",
      operation: "call",
      server: "fx",
      tool: "fail",
      arguments: '{"reason": "boom"}',
    });
    const error = await rejection(node.execute.call(ctx));
    assert.equal(error.name, "NodeApiError");
    assert.equal(error.httpCode, "422");
    assert.match(error.message, /tool fx\/fail: failed: boom \(TOOL_ERROR, HTTP 422\)/);
    assert.match(String(error.description), /reported an error/);
  });

  test("with continue on fail, the failed item carries the error and the next item still runs", async () => {
    const ctx = context(
      {
        resource: "tool",
        operation: "call",
        server: "fx",
        tool: (i: number) => (i === 0 ? "fail" : "echo"),
        arguments: (i: number) => (i === 0 ? '{"reason": "boom"}' : '{"text": "still here"}'),
      },
      { items: [{ json: {} }, { json: {} }], continueOnFail: true },
    );
    const items = await run(ctx);
    assert.equal(items.length, 2);
    assert.match(String(items[0]!.json.error), /failed: boom/);
    assert.equal(items[0]!.json.httpCode, "422");
    assert.deepEqual(items[0]!.pairedItem, { item: 0 });
    assert.equal(items[1]!.json.text, "still here");
  });

  test("a bad API key: 401 as NodeApiError, for execute and for load options", async () => {
    const credentials = { sophiaApi: { url: gw.url, apiKey: "sk_sophia_nope_nope" } };
    const ctx = executeContext({
      credentials,
      parameters: { resource: "tool", operation: "list" },
    });
    const error = await rejection(node.execute.call(ctx));
    assert.equal(error.name, "NodeApiError");
    assert.equal(error.httpCode, "401");
    assert.match(error.message, /UNAUTHORIZED, HTTP 401/);
    assert.match(String(error.description), /valid API key/);
    const fromOptions = await rejection(
      node.methods.loadOptions.getServers!.call(executeContext({ credentials, parameters: {} })),
    );
    assert.equal(fromOptions.httpCode, "401");
  });

  test("an unknown server is a 404 naming it; an unknown tool's error names the tool", async () => {
    const call = (server: string, tool: string) =>
      rejection(
        node.execute.call(
          context({ resource: "tool", operation: "call", server, tool, arguments: "{}" }),
        ),
      );
    const noServer = await call("nope", "echo");
    assert.equal(noServer.httpCode, "404");
    assert.match(noServer.message, /no server named "nope".*\(UNKNOWN_SERVER, HTTP 404\)/);
    // The upstream (the MCP SDK's server) reports an unknown tool as a tool error result.
    const noTool = await call("fx", "nope");
    assert.equal(String(noTool.httpCode), "404");
    assert.match(noTool.message, /tool fx\/nope: .*nope/);
  });

  test("arguments that are not a JSON object fail before any request (NodeOperationError)", async () => {
    for (const [args, pattern] of [
      ["{not json", /arguments is not valid JSON/],
      ["[1, 2]", /arguments must be a JSON object/],
    ] as const) {
      const ctx = context({
        resource: "tool",
        operation: "call",
        server: "fx",
        tool: "echo",
        arguments: args,
      });
      const error = await rejection(node.execute.call(ctx));
      assert.equal(error.name, "NodeOperationError");
      assert.match(error.message, pattern);
      assert.equal(ctx.http.length, 0);
    }
  });

  test("a gateway that cannot be reached is a NodeApiError naming the URL", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const ctx = executeContext({
      credentials: { sophiaApi: { url, apiKey: gw.key } },
      parameters: { resource: "tool", operation: "list" },
    });
    const error = await rejection(node.execute.call(ctx));
    assert.equal(error.name, "NodeApiError");
    assert.match(error.message, new RegExp(`Cannot reach the Sophia gateway at ${url}`));
  });

  test("Knowledge > Search: one item per hit, best first, topK and the metadata filter", async () => {
    const search = (extra: Record<string, unknown>) =>
      run(
        context({
          resource: "knowledge",
          operation: "search",
          knowledgeServer: "knowledge",
          topK: 2,
          filter: "{}",
          ...extra,
        }),
      );
    const hits = await search({ query: "password reset email does not arrive" });
    assert.equal(hits.length, 2);
    assert.equal(hits[0]!.json.id, 'public.tickets:{"id":1}');
    assert.match(String(hits[0]!.json.text), /Password reset email/);
    assert.ok(Number(hits[0]!.json.score) > 0);
    const billing = await search({
      query: "login problems",
      topK: 5,
      filter: '{"category": "billing"}',
    });
    assert.deepEqual(
      billing.map((hit) => hit.json.id),
      ['public.tickets:{"id":2}'],
    );
  });
});
