// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are configuration text with ${VAR} references
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { configAt } from "../../test/support/config-text.ts";
import { parseListen } from "./gateway.ts";

const FILE = "/etc/sophia/sophia.yaml";
const { parse, errorOf } = configAt(FILE);

describe("gateway", () => {
  test("defaults", () => {
    assert.deepEqual(parse("servers: {}").gateway, {
      host: "127.0.0.1",
      port: 8080,
      separator: "__",
      allowedOrigins: [],
      maxBodyBytes: 4 * 1024 * 1024,
      sessionIdleMs: 30 * 60_000,
      drainMs: 10_000,
      sessions: { store: "memory" },
    });
    assert.equal(parse("gateway:\n").gateway.port, 8080);
  });

  test("every key set", () => {
    const gateway = parse(`gateway:
  listen: 0.0.0.0:9000
  separator: "."
  allowedOrigins: [https://App.Example.com/, "http://localhost:3000"]
  maxBodySize: 512kb
  sessionIdle: 5m
  drain: 0
`).gateway;
    assert.deepEqual(gateway, {
      host: "0.0.0.0",
      port: 9000,
      separator: ".",
      allowedOrigins: ["https://app.example.com", "http://localhost:3000"],
      maxBodyBytes: 512 * 1024,
      sessionIdleMs: 300_000,
      drainMs: 0,
      sessions: { store: "memory" },
    });
  });

  test("sessions: redis with a shared secret, defaults for URL and prefix", () => {
    const secret = "s".repeat(32);
    const gateway = parse('gateway: { sessions: { store: redis, secret: "${S}" } }', {
      S: secret,
    }).gateway;
    assert.deepEqual(gateway.sessions, {
      store: "redis",
      secret,
      redis: "redis://127.0.0.1:6379",
      prefix: "sophia:",
    });
    const custom = parse(
      `gateway: { sessions: { store: redis, secret: "${secret}", redis: "rediss://r:6380/2", prefix: "gw1:" } }`,
    ).gateway.sessions;
    assert.deepEqual(custom, {
      store: "redis",
      secret,
      redis: "rediss://r:6380/2",
      prefix: "gw1:",
    });
  });

  test("sessions: a short secret is refused without echoing it; bad store and URL are named", () => {
    const short = errorOf("gateway: { sessions: { store: redis, secret: hunter2 } }").message;
    assert.match(short, /gateway\.sessions\.secret/);
    assert.match(short, /at least 32 characters/);
    assert.doesNotMatch(short, /hunter2/);
    assert.match(errorOf("gateway: { sessions: { store: disk } }").message, /"memory" or "redis"/);
    assert.match(
      errorOf("gateway: { sessions: { store: redis, redis: http://x } }").message,
      /a Redis URL/,
    );
  });

  test("host and port separately, port 0 for an ephemeral port, values from the environment", () => {
    const gateway = parse('gateway: { host: "[::1]", port: "${PORT}" }', { PORT: "0" }).gateway;
    assert.equal(gateway.host, "::1");
    assert.equal(gateway.port, 0);
  });

  test("listen forms", () => {
    assert.deepEqual(parseListen("127.0.0.1:8080"), { host: "127.0.0.1", port: 8080 });
    assert.deepEqual(parseListen("[::1]:80"), { host: "::1", port: 80 });
    assert.deepEqual(parseListen("localhost:0"), { host: "localhost", port: 0 });
    assert.deepEqual(parseListen(9000), { host: undefined, port: 9000 });
    assert.deepEqual(parseListen("9000"), { host: undefined, port: 9000 });
    for (const bad of [
      ":8080",
      "host",
      "host:",
      "::1:80",
      "h:65536",
      "h:-1",
      "a b:80",
      70_000,
      true,
    ]) {
      assert.equal(parseListen(bad), undefined, String(bad));
    }
    assert.equal(parse("gateway: { listen: 9000 }").gateway.host, "127.0.0.1");
  });

  test("each invalid key is reported with file, path, expectation and what was found", () => {
    const error = errorOf(`gateway:
  listen: ":8080"
  port: 65536
  separator: "::"
  allowedOrigins: ["https://a.example/path", "*"]
  maxBodySize: 4 megs
  sessionIdle: soon
  drain: -1
  lisen: x
log: { level: loud, format: json }
`);
    assert.equal(error.code, "CONFIG_INVALID");
    const lines = error.message.split("\n").slice(1);
    const expected = [
      /^ {2}\/etc\/sophia\/sophia\.yaml:2:3: gateway\.listen: expected an address "host:port".*, found ":8080"$/,
      /:3:3: gateway\.port: expected an integer from 0 to 65535, found 65536$/,
      /:4:3: gateway\.separator: expected 1 to 4 of the characters .*found "::"$/,
      /:5:20: gateway\.allowedOrigins\[0\]: expected an origin .*found "https:\/\/a\.example\/path"$/,
      /:5:46: gateway\.allowedOrigins\[1\]: expected an origin .*found "\*"$/,
      /:6:3: gateway\.maxBodySize: expected a size .*found "4 megs"$/,
      /:7:3: gateway\.sessionIdle: expected a duration of at least 1ms .*found "soon"$/,
      /:8:3: gateway\.drain: expected a duration such as .*found -1$/,
      /:9:3: gateway\.lisen: unknown key; did you mean "listen"\?$/,
      /:10:8: log\.level: expected one of "fatal", .*found "loud"$/,
      /:10:21: log\.format: unknown key; known keys: level$/,
    ];
    assert.equal(lines.length, expected.length, error.message);
    for (const [index, pattern] of expected.entries()) assert.match(lines[index]!, pattern);
  });

  test("listen and host/port together are refused", () => {
    assert.match(
      errorOf("gateway: { listen: 1.2.3.4:80, port: 81 }").message,
      /gateway\.listen: give either/,
    );
  });

  test("log level", () => {
    assert.equal(parse("").log.level, "info");
    assert.equal(parse("log: { level: DEBUG }").log.level, "debug");
    assert.equal(parse("log: { level: silent }").log.level, "silent");
  });
});
