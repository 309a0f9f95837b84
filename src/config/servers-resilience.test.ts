import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { configAt } from "../../test/support/config-text.ts";
import { RESILIENCE_DEFAULTS } from "./defaults.ts";

const { parse, errorOf } = configAt("/srv/app/sophia.yaml");

describe("servers: resilience keys and replica URLs", () => {
  test("a given section is completed with the defaults; absent ones stay absent", () => {
    const server = parse(`
servers:
  s: { url: "http://a/mcp", breaker: { failures: 2, cooldown: 3s }, listTimeout: 2s }
`).servers.s;
    assert.deepEqual(server?.breaker, {
      ...RESILIENCE_DEFAULTS.breaker,
      failures: 2,
      cooldownMs: 3000,
    });
    assert.equal(server?.listTimeoutMs, 2000);
    assert.equal(server?.retry, undefined);
  });

  test("url lists and urls: replicas of one server", () => {
    const { servers } = parse(`
servers:
  a: { url: ["http://a/mcp", "http://b/mcp"] }
  b: { urls: ["http://c/mcp"], retry: { attempts: 1, budget: "0.1" } }
`);
    assert.deepEqual(
      [servers.a?.transport, "urls" in servers.a! && servers.a.urls],
      ["streamable-http", ["http://a/mcp", "http://b/mcp"]],
    );
    assert.equal(servers.a && "url" in servers.a && servers.a.url, "http://a/mcp");
    assert.equal(servers.b && "url" in servers.b && servers.b.url, "http://c/mcp");
    assert.deepEqual(servers.b?.retry, { ...RESILIENCE_DEFAULTS.retry, attempts: 1, budget: 0.1 });
  });

  test("errors point at the key", () => {
    const cases: Array<[string, RegExp]> = [
      ["s: { url: [ftp://x] }", /servers\.s\.url: expected a list of absolute http/],
      [
        "s: { command: x, breaker: { failures: 0 } }",
        /servers\.s\.breaker\.failures: expected an integer from 1/,
      ],
      [
        "s: { command: x, retry: { budget: 2 } }",
        /servers\.s\.retry\.budget: expected a number from 0 to 1/,
      ],
      [
        "s: { command: x, health: { interval: 10ms } }",
        /servers\.s\.health\.interval: expected a duration of at least 100ms/,
      ],
      [
        's: { command: x, urls: ["http://a/"] }',
        /servers\.s: a server has exactly one of .*found "command" and "urls"/,
      ],
    ];
    for (const [entry, pattern] of cases)
      assert.match(errorOf(`servers:\n  ${entry}\n`).message, pattern);
  });
});
