import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { configAt } from "../../test/support/config-text.ts";

const FILE = "/srv/app/sophia.yaml";
const { parse, errorOf } = configAt(FILE);

describe("servers: the three kinds with defaults", () => {
  const config = parse(
    `
servers:
  files: { command: npx, args: [-y, "@modelcontextprotocol/server-filesystem", ./data], cwd: tools }
  search: { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer \${SEARCH_TOKEN}" } }
  legacy: { url: "http://127.0.0.1:9000/sse", type: sse }
  knowledge: { builtin: knowledge }
`,
    { SEARCH_TOKEN: "t0k" },
  );

  test("stdio", () => {
    assert.deepEqual(config.servers.files, {
      transport: "stdio",
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", "./data"],
      env: {},
      cwd: "/srv/app/tools",
      pool: 1,
      prefix: "files",
      enabled: true,
      timeoutMs: 60_000,
      maxConcurrency: 64,
      connectTimeoutMs: 30_000,
    });
  });

  test("streamable HTTP by default, sse through the type alias", () => {
    assert.deepEqual(config.servers.search, {
      transport: "streamable-http",
      url: "https://mcp.example.com/mcp",
      headers: { Authorization: "Bearer t0k" },
      connections: 32,
      prefix: "search",
      enabled: true,
      timeoutMs: 60_000,
      maxConcurrency: 64,
      connectTimeoutMs: 30_000,
    });
    assert.equal(config.servers.legacy?.transport, "sse");
  });

  test("builtin", () => {
    assert.deepEqual(config.servers.knowledge, {
      transport: "builtin",
      builtin: "knowledge",
      options: {},
      prefix: "knowledge",
      enabled: true,
      timeoutMs: 60_000,
      maxConcurrency: 64,
      connectTimeoutMs: 30_000,
    });
  });

  test("keeps the order of the file", () => {
    assert.deepEqual(Object.keys(config.servers), ["files", "search", "legacy", "knowledge"]);
  });
});

describe("servers: every common key", () => {
  test("overrides, units and string values from the environment", () => {
    const server = parse(
      `servers:
  s:
    command: ./server
    env: { API_KEY: "\${KEY}" }
    pool: "\${POOL}"
    prefix: tools
    enabled: false
    timeout: 1m30s
    maxConcurrency: 8
    connectTimeout: 500ms
    type: stdio
`,
      { KEY: "k", POOL: "4" },
    ).servers.s;
    assert.deepEqual(server, {
      transport: "stdio",
      command: "./server",
      args: [],
      env: { API_KEY: "k" },
      cwd: undefined,
      pool: 4,
      prefix: "tools",
      enabled: false,
      timeoutMs: 90_000,
      maxConcurrency: 8,
      connectTimeoutMs: 500,
    });
  });

  test("http: transport names, connections, numeric timeout", () => {
    const servers = parse(`servers:
  a: { url: "http://h/mcp", transport: streamable-http, connections: 4, timeout: 2500 }
  b: { url: "http://h/mcp", transport: http }
  c: { url: "http://h/sse", transport: sse, type: sse }
`).servers;
    assert.equal(servers.a?.transport, "streamable-http");
    assert.equal(servers.a?.transport === "streamable-http" && servers.a.connections, 4);
    assert.equal(servers.a?.timeoutMs, 2500);
    assert.equal(servers.b?.transport, "streamable-http");
    assert.equal(servers.c?.transport, "sse");
  });

  test("an absolute cwd stays as written", () => {
    const server = parse("servers: { s: { command: x, cwd: /opt/tool } }").servers.s;
    assert.equal(server?.transport === "stdio" && server.cwd, "/opt/tool");
  });
});

describe("servers: errors name the file and the path", () => {
  const cases: [string, string, RegExp][] = [
    [
      "command and url",
      "s: { command: x, url: http://h }",
      /servers\.s: .*exactly one of .*found "command" and "url"/,
    ],
    ["no kind", "s: { args: [a] }", /servers\.s: .*exactly one of .*found none of them/],
    ["entry not a mapping", "s: npx", /servers\.s: expected a mapping .*found a string/],
    [
      "arg type",
      "files: { command: npx, args: [-y, 3] }",
      /servers\.files\.args\[1\]: expected a string, found a number/,
    ],
    [
      "unknown key",
      "s: { comand: npx }",
      /servers\.s\.comand: unknown key; did you mean "command"\?/,
    ],
    [
      "pool range",
      "s: { command: x, pool: 33 }",
      /servers\.s\.pool: expected an integer from 1 to 32, found 33/,
    ],
    [
      "pool on http",
      "s: { url: http://h, pool: 2 }",
      /servers\.s\.pool: only applies to stdio servers/,
    ],
    [
      "headers on stdio",
      "s: { command: x, headers: {} }",
      /servers\.s\.headers: only applies to HTTP servers/,
    ],
    [
      "options on stdio",
      "s: { command: x, options: { a: 1 } }",
      /servers\.s\.options: only applies to built-in servers/,
    ],
    [
      "transport on builtin",
      "s: { builtin: sql, type: sse }",
      /servers\.s\.type: does not apply to builtin servers/,
    ],
    [
      "sse with command",
      "s: { command: x, type: sse }",
      /servers\.s\.type: "sse" needs "url", not "command"/,
    ],
    [
      "stdio with url",
      "s: { url: http://h, transport: stdio }",
      /servers\.s\.transport: "stdio" needs "command"/,
    ],
    [
      "type and transport disagree",
      "s: { url: http://h, type: sse, transport: http }",
      /servers\.s\.type: disagrees/,
    ],
    [
      "bad transport",
      "s: { url: http://h, transport: ws }",
      /servers\.s\.transport: expected one of "stdio", .*found "ws"/,
    ],
    [
      "bad url",
      "s: { url: ftp://h }",
      /servers\.s\.url: expected an absolute http:\/\/ or https:\/\/ URL, found a string/,
    ],
    [
      "empty command",
      's: { command: "" }',
      /servers\.s\.command: expected a non-empty string, found an empty string/,
    ],
    [
      "timeout",
      "s: { command: x, timeout: 0 }",
      /servers\.s\.timeout: expected a duration of at least 1ms .*found 0/,
    ],
    [
      "enabled",
      "s: { command: x, enabled: yes }",
      /servers\.s\.enabled: expected true or false, found "yes"/,
    ],
    [
      "env value",
      "s: { command: x, env: { PORT: 3000 } }",
      /servers\.s\.env\.PORT: expected a string, found a number/,
    ],
    [
      "name",
      "'my server': { command: x }",
      /servers\["my server"\]: invalid server name: .* \(e\.g\. "my-server"\)/,
    ],
    ["long name", `${"a".repeat(33)}: { command: x }`, /servers\.a{33}: invalid server name/],
    [
      "separator in name",
      "my__tools: { command: x }",
      /servers\.my__tools: server name contains the separator "__"/,
    ],
    [
      "name ends with part of it",
      "tools_: { command: x }",
      /servers\.tools_: server name ends with part of the separator/,
    ],
    [
      "bad prefix",
      "s: { command: x, prefix: 'a b' }",
      /servers\.s\.prefix: expected a prefix that follows the name rule.*found "a b"/,
    ],
    [
      "prefix with separator",
      "s: { command: x, prefix: a__b }",
      /servers\.s\.prefix: prefix contains the separator/,
    ],
    [
      "builtin name",
      "s: { builtin: 'no such' }",
      /servers\.s\.builtin: expected the name of a built-in server/,
    ],
    [
      "servers not a map",
      "- a",
      /servers: expected a mapping of server names to entries, found a list/,
    ],
  ];
  for (const [name, entry, pattern] of cases) {
    test(name, () => {
      const error = errorOf(`servers:\n  ${entry}\n`);
      assert.equal(error.code, "CONFIG_INVALID");
      assert.match(error.message, /^\/srv\/app\/sophia\.yaml: invalid configuration/);
      assert.match(
        error.message,
        new RegExp(`\\n {2}/srv/app/sophia\\.yaml:\\d+:\\d+: ${pattern.source}`),
        error.message,
      );
    });
  }

  test("positions point at the offending value", () => {
    const error = errorOf("servers:\n  files: { command: npx, args: [-y, 3] }\n");
    assert.deepEqual(error.issues[0], {
      path: ["servers", "files", "args", 1],
      message: "expected a string, found a number",
      line: 2,
      column: 37,
    });
  });

  test("a misspelt command is reported once, as an unknown key", () => {
    const error = errorOf("servers:\n  s: { comand: npx }\n");
    assert.deepEqual(
      error.issues.map((issue) => issue.message),
      ['unknown key; did you mean "command"?'],
    );
  });

  test("duplicate prefixes", () => {
    const error = errorOf("servers:\n  a: { command: x }\n  b: { command: y, prefix: a }\n");
    assert.match(
      error.message,
      /:3:20: servers\.b\.prefix: prefix "a" is already used by server "a"/,
    );
  });

  test("a custom separator changes which names are allowed", () => {
    const error = errorOf(
      "gateway: { separator: '-' }\nservers:\n  my-tools: { command: x }\n  ok_name: { command: y }\n",
    );
    assert.equal(error.issues.length, 1);
    assert.match(error.message, /servers\.my-tools: server name contains the separator "-"/);
  });

  test("all problems are reported at once, one per line", () => {
    const error = errorOf("servers:\n  a: { command: x, pool: 0 }\n  b: { url: nope }\n  c: {}\n");
    assert.equal(error.issues.length, 3);
    assert.equal(error.message.split("\n").length, 4);
  });

  test("secret values are never echoed", () => {
    const error = errorOf(
      `servers:
  s: { url: "https://user:hunter2@h/\${T}x", headers: { Authorization: 42 }, env: { K: "v" }, pool: "\${T}" }
`,
      { T: "TOPSECRET" },
    );
    assert.doesNotMatch(error.message, /TOPSECRET|hunter2|42/);
    assert.match(
      error.message,
      /servers\.s\.pool: expected an integer from 1 to 32, found a string/,
    );
  });
});
