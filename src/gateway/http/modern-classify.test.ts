import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import {
  type Classified,
  claimsModern,
  classify,
  decodeHeaderValue,
  type ModernHeaders,
} from "./modern-classify.ts";

const V = "2026-07-28";
const envelope = (version: unknown = V) => ({
  "io.modelcontextprotocol/protocolVersion": version,
  "io.modelcontextprotocol/clientCapabilities": {},
});
const call = (meta: unknown = envelope()): JsonRpcMessage => ({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "a__b", _meta: meta as Record<string, unknown> },
});
const headers = (over: Partial<ModernHeaders> = {}): ModernHeaders => ({
  protocolVersion: V,
  method: "tools/call",
  name: "a__b",
  ...over,
});

function code(c: Classified): number | string {
  return c.kind === "reject" ? c.error.code : c.kind;
}

describe("classify: a session-less POST", () => {
  test("legacy traffic stays legacy and only the modern claim is looked at", () => {
    const init: JsonRpcMessage = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18" },
    };
    assert.equal(code(classify(headers({ protocolVersion: undefined }), init)), "legacy");
    assert.equal(
      code(
        classify(headers({ protocolVersion: "2025-06-18" }), {
          jsonrpc: "2.0",
          id: 2,
          method: "ping",
        }),
      ),
      "legacy",
    );
    assert.equal(code(classify(headers(), { jsonrpc: "2.0", id: 3, result: {} })), "legacy");
    const oldClaim = { ...init, params: { _meta: envelope("2025-06-18") } } as JsonRpcMessage;
    assert.equal(code(classify(headers({ protocolVersion: undefined }), oldClaim)), "legacy");
    assert.equal(claimsModern(undefined, init), false);
    assert.equal(claimsModern(undefined, call()), true);
    assert.equal(claimsModern(` ${V} `, { jsonrpc: "2.0", id: 4, method: "ping" }), true);
  });

  test("a well-formed request yields its envelope", () => {
    const c = classify(headers(), call());
    assert.ok(c.kind === "request");
    assert.equal(c.envelope.protocolVersion, V);
    assert.deepEqual(c.envelope.capabilities, {});
    assert.equal(c.envelope.logLevel, undefined);
  });

  test("each disagreement is answered with the revision's code, echoing the request id", () => {
    const table: Array<[string, Classified, number]> = [
      [
        "no clientCapabilities",
        classify(headers(), call({ "io.modelcontextprotocol/protocolVersion": V })),
        -32602,
      ],
      [
        "header names another version",
        classify(headers({ protocolVersion: "2026-12-01" }), call()),
        -32020,
      ],
      ["Mcp-Method disagrees", classify(headers({ method: "tools/list" }), call()), -32020],
      [
        "unsupported revision",
        classify(headers({ protocolVersion: undefined }), call(envelope("2099-01-01"))),
        -32022,
      ],
      [
        "MCP-Protocol-Version missing",
        classify(headers({ protocolVersion: undefined }), call()),
        -32020,
      ],
      ["Mcp-Method missing", classify(headers({ method: undefined }), call()), -32020],
      ["Mcp-Name missing", classify(headers({ name: undefined }), call()), -32020],
      ["Mcp-Name disagrees", classify(headers({ name: "a__c" }), call()), -32020],
      ["Mcp-Name bad base64", classify(headers({ name: "=?base64?***?=" }), call()), -32020],
      [
        "modern header, no envelope",
        classify(headers(), { jsonrpc: "2.0", id: 1, method: "tools/list" }),
        -32602,
      ],
      [
        "initialize with a modern header",
        classify(headers(), { jsonrpc: "2.0", id: 1, method: "initialize" }),
        -32020,
      ],
    ];
    for (const [what, c, expected] of table) {
      assert.equal(code(c), expected, what);
      assert.ok(c.kind === "reject" && c.status === 400 && c.id === 1, what);
    }
  });

  test("a claim naming an older revision is refused with the versions served, not handled as legacy", () => {
    const c = classify(headers({ protocolVersion: undefined }), call(envelope("2025-06-18")));
    assert.ok(c.kind === "reject");
    assert.deepEqual(c.error.data, { supported: [V], requested: "2025-06-18" });
  });

  test("notifications need no Mcp-Method or Mcp-Name, but must not contradict the body", () => {
    const note = (meta?: unknown): JsonRpcMessage => ({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: 1, ...(meta ? { _meta: meta } : {}) },
    });
    assert.equal(
      code(
        classify(
          { protocolVersion: undefined, method: undefined, name: undefined },
          note(envelope()),
        ),
      ),
      "notification",
    );
    assert.equal(
      code(classify({ protocolVersion: V, method: undefined, name: undefined }, note())),
      "notification",
    );
    assert.equal(
      code(classify({ protocolVersion: V, method: "tools/call", name: undefined }, note())),
      -32020,
    );
    assert.equal(
      code(
        classify(
          { protocolVersion: undefined, method: undefined, name: undefined },
          note(envelope("2099-01-01")),
        ),
      ),
      -32022,
    );
  });
});

describe("decodeHeaderValue", () => {
  test("plain values pass through; sentinel values decode from UTF-8 base64", () => {
    assert.equal(decodeHeaderValue("conf__echo"), "conf__echo");
    assert.equal(
      decodeHeaderValue(`=?base64?${Buffer.from("héllo").toString("base64")}?=`),
      "héllo",
    );
    assert.equal(decodeHeaderValue("=?base64?aGk?="), undefined, "non-canonical padding");
    assert.equal(
      decodeHeaderValue(`=?base64?${Buffer.from([0xff, 0xfe]).toString("base64")}?=`),
      undefined,
      "not UTF-8",
    );
  });

  test("any string survives the round trip through the sentinel", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        assert.equal(
          decodeHeaderValue(`=?base64?${Buffer.from(s, "utf8").toString("base64")}?=`),
          s,
        );
      }),
    );
  });
});
