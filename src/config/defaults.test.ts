import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultConfig } from "./defaults.ts";

test("embedded defaults: no file, no servers, gateway on 127.0.0.1:8080", () => {
  assert.deepEqual(defaultConfig(), {
    file: undefined,
    format: "sophia",
    gateway: {
      host: "127.0.0.1",
      port: 8080,
      separator: "__",
      allowedOrigins: [],
      maxBodyBytes: 4_194_304,
      sessionIdleMs: 1_800_000,
      drainMs: 10_000,
      sessions: { store: "memory" },
    },
    servers: {},
    log: { level: "info" },
    flows: {},
    deploy: {},
  });
});

test("each call returns fresh objects, so callers may override fields", () => {
  const first = defaultConfig();
  first.gateway.port = 1;
  first.gateway.allowedOrigins.push("https://x");
  assert.equal(defaultConfig().gateway.port, 8080);
  assert.deepEqual(defaultConfig().gateway.allowedOrigins, []);
});
