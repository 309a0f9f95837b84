import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { startHttpFixture } from "../fixtures/conformance-server.ts";
import {
  CONFORMANCE_SERVER,
  connectClient,
  ROOT,
  startGateway,
  stdioEntry,
} from "../support/gateway-harness.ts";

type Started = Awaited<ReturnType<typeof startGateway>>;

describe("gateway /mcp with a stdio and an HTTP upstream, through the official SDK client", () => {
  let fixture: Awaited<ReturnType<typeof startHttpFixture>>;
  let gw: Started;

  before(async () => {
    fixture = await startHttpFixture();
    gw = await startGateway({
      conf: stdioEntry(CONFORMANCE_SERVER, "--stdio"),
      web: { url: fixture.url },
    });
  });
  after(async () => {
    await gw.stop();
    await fixture.close();
  });

  test("tools/list merges both servers, namespaced, in a stable order", async () => {
    const client = await connectClient(`${gw.url}/mcp`);
    const first = (await client.listTools()).tools.map((t) => t.name);
    const second = (await client.listTools()).tools.map((t) => t.name);
    assert.deepEqual(first, second);
    assert.ok(first.includes("conf__test_simple_text"));
    assert.ok(first.includes("web__test_simple_text"));
    assert.deepEqual(first, [...first].sort());
    await client.close();
  });

  test("a call reaches the owning server under its own name, over stdio and over HTTP", async () => {
    const client = await connectClient(`${gw.url}/mcp`);
    for (const server of ["conf", "web"]) {
      const result = await client.callTool({ name: `${server}__test_simple_text`, arguments: {} });
      assert.equal(result.isError, undefined);
      assert.match(JSON.stringify(result.content), /This is a simple text response/);
    }
    await client.close();
  });

  test("progress notifications reach the caller with its own token", async () => {
    const client = await connectClient(`${gw.url}/mcp`);
    const seen: number[] = [];
    await client.callTool({ name: "conf__test_tool_with_progress", arguments: {} }, undefined, {
      onprogress: (p) => seen.push(p.progress),
    });
    assert.ok(seen.length >= 3, `expected at least 3 progress notifications, got ${seen.length}`);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
    await client.close();
  });

  test("sampling requests go to the client that made the call, never to another", async () => {
    const clients = await Promise.all(
      ["alice", "bob"].map(async (name) => {
        const client = await connectClient(`${gw.url}/mcp`, { sampling: {} }, name);
        client.setRequestHandler(CreateMessageRequestSchema, async () => {
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
    const round = () =>
      Promise.all(
        clients.flatMap(({ name, client }) =>
          [1, 2, 3].map(async () => {
            const result = await client
              .callTool({ name: "conf__test_sampling", arguments: { prompt: "hi" } })
              .catch((e: Error) => e);
            return {
              name,
              text:
                result instanceof Error
                  ? `error: ${result.message}`
                  : JSON.stringify(result.content),
            };
          }),
        ),
      );
    // Over stdio nothing on the wire says which call a sampling request is for. The first
    // concurrent round may refuse an ambiguous request (an error), but no answer may ever
    // reach the other client; once learned, the tool runs alone and every call succeeds.
    for (const { name, text } of await round()) {
      const other = name === "alice" ? "bob" : "alice";
      assert.doesNotMatch(text, new RegExp(`answer from ${other}`));
    }
    for (const { name, text } of await round()) {
      assert.match(text, new RegExp(`answer from ${name}`));
    }
    await Promise.all(clients.map(({ client }) => client.close()));
  });

  test("elicitation is relayed with its schema unchanged", async () => {
    const client = await connectClient(`${gw.url}/mcp`, { elicitation: {} });
    let schema: unknown;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      schema = "requestedSchema" in request.params ? request.params.requestedSchema : undefined;
      return { action: "accept", content: { username: "ada", email: "ada@example.com" } };
    });
    const result = await client.callTool({
      name: "web__test_elicitation",
      arguments: { message: "who?" },
    });
    assert.ok(schema && typeof schema === "object");
    assert.match(JSON.stringify(result.content), /accept/);
    await client.close();
  });

  test("resources, templates and prompts route to their server", async () => {
    const client = await connectClient(`${gw.url}/mcp`);
    const text = await client.readResource({ uri: "test://static-text" });
    assert.match(JSON.stringify(text.contents), /text/);
    const templated = await client.readResource({ uri: "test://template/42/data" });
    assert.match(JSON.stringify(templated.contents), /42/);
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
    assert.ok(prompts.includes("conf__test_simple_prompt"));
    const prompt = await client.getPrompt({
      name: "web__test_prompt_with_arguments",
      arguments: { arg1: "a", arg2: "b" },
    });
    assert.ok(prompt.messages.length > 0);
    await assert.rejects(client.readResource({ uri: "test://nowhere" }), /not found/i);
    await client.close();
  });

  test("an unknown tool is a JSON-RPC error that names it, and the session survives", async () => {
    const client = await connectClient(`${gw.url}/mcp`);
    await assert.rejects(
      client.callTool({ name: "nobody__nothing", arguments: {} }),
      /nobody__nothing/,
    );
    const ok = await client.callTool({ name: "conf__test_simple_text", arguments: {} });
    assert.equal(ok.isError, undefined);
    await client.close();
  });

  test("a tool that fails is a tool error result", async () => {
    const client = await connectClient(`${gw.url}/mcp`);
    const result = await client.callTool({ name: "conf__test_error_handling", arguments: {} });
    assert.equal(result.isError, true);
    await client.close();
  });
});

describe("list changes reach /mcp clients", () => {
  test("a tool added upstream is announced and then listed, namespaced", async () => {
    const fixture = join(ROOT, "test/fixtures/upstreams/stdio-server.ts");
    const gw = await startGateway({ fx: stdioEntry(fixture) });
    const client = await connectClient(`${gw.url}/mcp`);
    try {
      let announced = 0;
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        announced++;
      });
      await client.listTools();
      // The SDK client opens its GET stream after initialize; give it a moment to be open.
      await new Promise((r) => setTimeout(r, 200));
      // The first fetch of the list is itself announced (a list appearing is a change): only count
      // what the new tool causes.
      announced = 0;
      await client.callTool({ name: "fx__add_tool", arguments: { name: "fresh" } });
      const deadline = Date.now() + 5000;
      while (announced === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      assert.ok(announced > 0, "no tools/list_changed reached the client");
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes("fx__fresh"));
      const result = await client.callTool({ name: "fx__fresh", arguments: {} });
      assert.match(JSON.stringify(result.content), /I am fresh/);
    } finally {
      await client.close();
      await gw.stop();
    }
  });
});
