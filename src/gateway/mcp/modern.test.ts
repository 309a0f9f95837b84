import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readEnvelope, stripEnvelope } from "./modern.ts";

const V = "io.modelcontextprotocol/protocolVersion";
const CAPS = "io.modelcontextprotocol/clientCapabilities";

describe("the per-request envelope", () => {
  test("reads version, capabilities, client info and log level", () => {
    const read = readEnvelope({
      _meta: {
        [V]: "2026-07-28",
        [CAPS]: { sampling: {} },
        "io.modelcontextprotocol/clientInfo": { name: "c", version: "1" },
        "io.modelcontextprotocol/logLevel": "info",
      },
    });
    assert.deepEqual(read, {
      ok: true,
      envelope: {
        protocolVersion: "2026-07-28",
        capabilities: { sampling: {} },
        clientInfo: { name: "c", version: "1" },
        logLevel: "info",
      },
    });
  });

  test("names the key that is missing or malformed", () => {
    assert.deepEqual(readEnvelope(undefined), { ok: false, problem: "_meta: missing" });
    assert.match(
      String((readEnvelope({ _meta: { [V]: 1 } }) as { problem: string }).problem),
      /protocolVersion: expected a string/,
    );
    assert.match(
      String((readEnvelope({ _meta: { [V]: "2026-07-28" } }) as { problem: string }).problem),
      /clientCapabilities/,
    );
    assert.match(
      String(
        (
          readEnvelope({
            _meta: { [V]: "2026-07-28", [CAPS]: {}, "io.modelcontextprotocol/logLevel": "loud" },
          }) as { problem: string }
        ).problem,
      ),
      /logLevel/,
    );
  });

  test("what goes upstream keeps the progress token and foreign _meta, not the envelope or retry material", () => {
    const params = {
      name: "t",
      inputResponses: { a: {} },
      requestState: "s",
      _meta: { [V]: "2026-07-28", [CAPS]: {}, progressToken: 3, "com.example/trace": "x" },
    };
    assert.deepEqual(stripEnvelope(params), {
      name: "t",
      _meta: { progressToken: 3, "com.example/trace": "x" },
    });
    assert.deepEqual(stripEnvelope({ uri: "u", _meta: { [V]: "2026-07-28", [CAPS]: {} } }), {
      uri: "u",
    });
    assert.equal(stripEnvelope(undefined), undefined);
    assert.ok("requestState" in params, "the caller's object is not changed");
  });
});
