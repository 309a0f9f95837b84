import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { raw, rpc, startSecured } from "./support.ts";

describe("malformed percent-encoding in paths (real gateway)", () => {
  let gw: Awaited<ReturnType<typeof startSecured>>;
  before(async () => {
    gw = await startSecured({});
  });
  after(() => gw?.stop());

  test("/servers/<bad>/mcp answers 400 naming the problem, not 500", async () => {
    for (const segment of ["%", "%zz", "fx%E0%A4%A", "%C3%28"]) {
      const res = await rpc(`${gw.url}/servers/${segment}/mcp`, {
        jsonrpc: "2.0",
        id: 1,
        method: "ping",
      });
      assert.equal(res.status, 400, segment);
      assert.equal(res.json().error.code, -32600);
      assert.match(res.json().error.message, /not valid percent-encoding/);
    }
    assert.doesNotMatch(gw.logs(), /request failed unexpectedly/);
  });

  test("/v1/tools/<server>/<tool> with a bad escape answers 400 BAD_REQUEST", async () => {
    for (const path of ["/v1/tools/%/echo", "/v1/tools/fx/ec%ho", "/v1/tools/fx/%FF%FE"]) {
      const res = await raw(`${gw.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      assert.equal(res.status, 400, path);
      assert.equal(res.json().error.code, "BAD_REQUEST");
    }
  });

  test("well-formed escapes still route: an unknown server is 404, a known one answers", async () => {
    const unknown = await rpc(`${gw.url}/servers/no%20such/mcp`, {
      jsonrpc: "2.0",
      id: 1,
      method: "ping",
    });
    assert.equal(unknown.status, 404);
    assert.match(unknown.json().error.message, /no server named "no such"/);
    const call = await raw(`${gw.url}/v1/tools/f%78/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "hi" }),
    });
    assert.equal(call.status, 200, call.text);
  });
});
