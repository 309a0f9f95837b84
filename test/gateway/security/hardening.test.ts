import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { openSession, raw, rpc, startSecured } from "./support.ts";

describe("request hardening (real gateway, no auth, loopback)", () => {
  let gw: Awaited<ReturnType<typeof startSecured>>;

  before(async () => {
    gw = await startSecured({ maxBodySize: "64kb" });
  });
  after(() => gw?.stop());

  test("DNS rebinding: a Host that is not a loopback name is refused", async () => {
    for (const host of ["evil.example", "attacker.test:8080", "127.0.0.1.evil.example"]) {
      const res = await rpc(`${gw.url}/mcp`, { jsonrpc: "2.0", id: 1, method: "ping" }, { host });
      assert.equal(res.status, 403, host);
    }
    const ok = await raw(`${gw.url}/healthz`, { headers: { host: "localhost" } });
    assert.equal(ok.status, 200);
  });

  test("deeply nested JSON: 400 with -32600 (never a stack overflow)", async () => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":${"[".repeat(10_000)}${"]".repeat(10_000)}}}`;
    const res = await raw(`${gw.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    assert.equal(res.status, 400);
    assert.equal(res.json().error.code, -32600);
    assert.match(res.json().error.message, /nested deeper than 64/);
  });

  test("an oversize body: 413", async () => {
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "ping",
      params: { x: "a".repeat(100_000) },
    });
    const res = await raw(`${gw.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    assert.equal(res.status, 413);
  });

  test("fuzz: malformed JSON-RPC bodies never get a 5xx and always a JSON-RPC error", async () => {
    const session = await openSession(`${gw.url}/mcp`);
    const bodies = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            jsonrpc: fc.oneof(fc.constant("2.0"), fc.string()),
            id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.object()),
            method: fc.oneof(
              fc.constantFrom("tools/call", "resources/read", "prompts/get", "initialize"),
              fc.string(),
            ),
            params: fc.oneof(fc.object(), fc.array(fc.anything()), fc.string()),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, fc.boolean(), async (body, withSession) => {
        const headers: Record<string, string> = {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        };
        if (withSession) headers["mcp-session-id"] = session;
        const res = await raw(`${gw.url}/mcp`, { method: "POST", headers, body });
        assert.ok(res.status < 500, `${res.status} for ${body}`);
        if (res.status === 202) return; // a valid notification or response
        const text =
          res.text.startsWith("event:") || res.text.startsWith("id:")
            ? (res.text.split("data: ")[1] ?? "")
            : res.text;
        const answer = JSON.parse(text);
        assert.equal(answer.jsonrpc, "2.0");
        if (res.status !== 200) assert.equal(typeof answer.error?.code, "number", body);
      }),
      { numRuns: 150 },
    );
    assert.equal((await raw(`${gw.url}/healthz`)).status, 200, "still alive");
  });
});
