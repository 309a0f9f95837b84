import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { discoverResult, encodeError, encodeResponse, encodeResult } from "./modern-results.ts";

const INFO = { name: "sophia", version: "0.1.0" };
const SERVER_INFO = "io.modelcontextprotocol/serverInfo";

describe("2026-07-28 result encoding", () => {
  test("every result gets resultType and the server's identity; cacheable ones get hints", () => {
    assert.deepEqual(encodeResult("tools/call", { content: [] }, INFO), {
      content: [],
      resultType: "complete",
      _meta: { [SERVER_INFO]: INFO },
    });
    const list = encodeResult("prompts/list", { prompts: [] }, INFO);
    assert.equal(list.ttlMs, 0);
    assert.equal(list.cacheScope, "private");
  });

  test("valid hints and _meta an upstream gave are kept; invalid hints replaced", () => {
    const kept = encodeResult(
      "resources/read",
      {
        contents: [],
        ttlMs: 5000,
        cacheScope: "public",
        _meta: { [SERVER_INFO]: { name: "up" }, x: 1 },
      },
      INFO,
    );
    assert.equal(kept.ttlMs, 5000);
    assert.equal(kept.cacheScope, "public");
    assert.deepEqual(kept._meta, { [SERVER_INFO]: { name: "up" }, x: 1 });
    const fixed = encodeResult(
      "tools/list",
      { tools: [], ttlMs: -1, cacheScope: "everyone" },
      INFO,
    );
    assert.deepEqual([fixed.ttlMs, fixed.cacheScope], [0, "private"]);
  });

  test("input_required passes untouched by cache hints; tools lose the deleted execution field", () => {
    const asked = encodeResult(
      "tools/call",
      { resultType: "input_required", requestState: "s" },
      INFO,
    );
    assert.equal(asked.resultType, "input_required");
    assert.equal("ttlMs" in asked, false);
    const tools = encodeResult(
      "tools/list",
      {
        tools: [
          { name: "a", inputSchema: { type: "object" }, execution: { taskSupport: "optional" } },
        ],
      },
      undefined,
    );
    assert.deepEqual(tools.tools, [{ name: "a", inputSchema: { type: "object" } }]);
    assert.equal("_meta" in tools, false, "no identity to stamp");
  });

  test("a missing resource is invalid-params on this revision; other errors unchanged", () => {
    assert.equal(encodeError({ code: -32002, message: "nope", data: { uri: "u" } }).code, -32602);
    assert.equal(encodeError({ code: -32601, message: "nope" }).code, -32601);
    const response = encodeResponse(
      "resources/read",
      { jsonrpc: "2.0", id: 1, error: { code: -32002, message: "x" } },
      9,
      INFO,
    );
    assert.deepEqual(response, { jsonrpc: "2.0", id: 9, error: { code: -32602, message: "x" } });
  });

  test("discover keeps the revision's capabilities and instructions", () => {
    const result = discoverResult({
      capabilities: { tools: {}, tasks: { list: {} } },
      serverInfo: INFO,
      instructions: "be nice",
    });
    assert.deepEqual(result, {
      supportedVersions: ["2026-07-28"],
      capabilities: { tools: {} },
      instructions: "be nice",
    });
  });
});
