import assert from "node:assert/strict";
import { test } from "node:test";
import { Registry } from "prom-client";
import { ConfigError, parseConfigText } from "../../config/index.ts";
import { silentLogger } from "../../shared/logger.ts";
import { Catalog } from "../catalog/catalog.ts";
import { buildTraffic } from "./traffic.ts";

function build(gateway: Record<string, unknown>) {
  const config = parseConfigText(JSON.stringify({ gateway, servers: {} }), {
    file: "sophia.json",
    env: {},
  });
  const catalog = new Catalog({ separator: "__", logger: silentLogger() });
  return buildTraffic(config, catalog, new Registry(), silentLogger());
}

test("with nothing configured nothing is added: no interceptor, no filter, the handler unwrapped", async () => {
  const traffic = build({});
  assert.deepEqual(
    [traffic.before.length, traffic.after.length, traffic.listFilters.length],
    [0, 0, 0],
  );
  const handler = async () => {};
  assert.equal(traffic.wrap(handler), handler);
  assert.equal(traffic.changedTools(), undefined);
  await traffic.close();
});

test("limits and cache add interceptors after policy; tracing wraps the handler", async () => {
  const traffic = build({
    limits: { rules: [{ rate: "5/s" }] },
    cache: { rules: [{ tools: "search", ttl: "30s" }] },
    tracing: { otlp: "http://127.0.0.1:4318" },
  });
  assert.equal(traffic.before.length, 0);
  assert.equal(traffic.after.length, 3);
  const handler = async () => {};
  assert.notEqual(traffic.wrap(handler), handler);
  await traffic.close();
});

test("configuration mistakes are reported with their path", () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [
      { limits: { rules: [{ rate: "10 per second" }] } },
      /gateway\.limits\.rules\[0\]\.rate.*"10\/s"/s,
    ],
    [{ limits: { rules: [{ rate: "1/s", quota: "5/day" }] } }, /exactly one of "rate" and "quota"/],
    [{ limits: { rules: [{ per: ["user"], rate: "1/s" }] } }, /gateway\.limits\.rules\[0\]\.per/],
    [{ cache: { rules: [{ ttl: "soon" }] } }, /gateway\.cache\.rules\[0\]\.ttl/],
    [{ audit: { file: {}, postgres: { url: "postgres://x" } } }, /either "file" or "postgres"/],
    [{ pinning: { mode: "warn" } }, /gateway\.pinning\.mode/],
    [{ tracing: { otlp: "collector:4318" } }, /gateway\.tracing\.otlp/],
    [{ redis: "http://127.0.0.1:6379" }, /gateway\.redis/],
  ];
  for (const [gateway, message] of cases) {
    assert.throws(
      () => build(gateway),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
      JSON.stringify(gateway),
    );
  }
});
