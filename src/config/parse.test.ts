// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are configuration text with ${VAR} references
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { configAt } from "../../test/support/config-text.ts";
import { isSophiaError } from "../shared/errors.ts";
import { defaultConfig } from "./defaults.ts";

const FILE = "/app/sophia.yaml";
const { parse, errorOf } = configAt(FILE);

describe("sophia.yaml as a whole", () => {
  test("the design's example file", () => {
    const config = parse(
      `gateway:
  listen: 127.0.0.1:8080
servers:
  files:  { command: npx, args: [-y, some-mcp-server] }
  search: { url: https://mcp.example.com/mcp, headers: { Authorization: "Bearer \${SEARCH_TOKEN}" } }
  knowledge: { builtin: knowledge }
flows:
  tickets-to-knowledge:
    source: { postgres: "\${DATABASE_URL}", tables: [public.tickets] }
    sink: { pgvector: { table: knowledge_chunks } }
deploy:
  environments: [dev, prod]
`,
      { SEARCH_TOKEN: "tok", DATABASE_URL: "postgres://db/app" },
    );
    assert.equal(config.format, "sophia");
    assert.equal(config.file, FILE);
    assert.deepEqual(Object.keys(config.servers), ["files", "search", "knowledge"]);
    assert.deepEqual(config.flows, {
      "tickets-to-knowledge": {
        source: { postgres: "postgres://db/app", tables: ["public.tickets"] },
        sink: { pgvector: { table: "knowledge_chunks" } },
      },
    });
    assert.deepEqual(config.deploy, { environments: ["dev", "prod"] });
  });

  test("an empty file or one with only comments is the defaults", () => {
    for (const text of ["", "# nothing yet\n", "servers:\n"]) {
      assert.deepEqual(parse(text), { ...defaultConfig(), file: FILE });
    }
  });

  test("the same file in JSON is read the same", () => {
    const yaml = parse("servers:\n  a: { command: x, args: [y] }\ngateway: { port: 9 }\n");
    const json = parse(
      '{"servers": {"a": {"command": "x", "args": ["y"]}}, "gateway": {"port": 9}}',
    );
    assert.deepEqual(json, yaml);
  });

  test("YAML anchors and merge keys work", () => {
    const config = parse(`servers:
  a: &base { command: node, args: [server.js], timeout: 5s }
  b:
    <<: *base
    args: [other.js]
`);
    assert.equal(config.servers.b?.timeoutMs, 5000);
    assert.deepEqual(config.servers.b?.transport === "stdio" && config.servers.b.args, [
      "other.js",
    ]);
  });

  test("unknown top-level keys suggest the closest one", () => {
    const error = errorOf("server: {}\nmcpServers: {}\ngateway: {}\nextra: 1\n");
    assert.match(
      error.message,
      /\/app\/sophia\.yaml:1:1: server: unknown key; did you mean "servers"\?/,
    );
    assert.match(
      error.message,
      /\/app\/sophia\.yaml:2:1: mcpServers: unknown key; did you mean "servers"\?/,
    );
    assert.match(
      error.message,
      /:4:1: extra: unknown key; known keys: gateway, servers, log, flows, deploy/,
    );
  });

  test("flows and deploy must be mappings", () => {
    assert.match(errorOf("flows: [a]\n").message, /:1:1: flows: expected a mapping, found a list/);
    assert.match(errorOf("deploy: prod\n").message, /deploy: expected a mapping, found a string/);
  });

  test("the top level must be a mapping", () => {
    assert.match(
      errorOf("just text").message,
      /\/app\/sophia\.yaml:1:1: expected a mapping at the top level.*found a string/,
    );
  });
});

describe("syntax errors", () => {
  test("YAML errors carry line and column, and every one is reported", () => {
    const error = errorOf("servers:\n  a: { command: x\n  b: [1, 2\nlog: x\n");
    assert.ok(error.issues.length >= 1);
    assert.match(error.message, /\/app\/sophia\.yaml:\d+:\d+: YAML syntax error: /);
    assert.ok(
      error.issues.every((issue) => issue.line !== undefined && issue.column !== undefined),
    );
  });

  test("duplicate keys and multiple documents are errors", () => {
    assert.match(
      errorOf("log: {}\nlog: {}\n").message,
      /:2:1: YAML syntax error: Map keys must be unique/,
    );
    assert.match(
      errorOf("log: {}\n---\nlog: {}\n").message,
      /YAML syntax error: Source contains multiple documents/,
    );
  });

  test("messages do not quote the source line", () => {
    const error = errorOf(
      'servers:\n  a: { url: http://h, headers: { Authorization: "Bearer sk-live-123 } }\n',
    );
    assert.doesNotMatch(error.message, /sk-live-123/);
  });

  test("alias bombs are refused", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 8; level++) {
      const previous = String.fromCharCode(96 + level);
      const current = String.fromCharCode(97 + level);
      bomb.push(`${current}: &${current} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    assert.equal(errorOf(`${bomb.join("\n")}\n`).code, "CONFIG_INVALID");
  });

  test("format forces the syntax", () => {
    assert.equal(parse("// c\n{}", {}, "json").format, "sophia");
    assert.throws(
      () => parse("// c\n{}", {}, "yaml"),
      (error) => isSophiaError(error, "CONFIG_INVALID"),
    );
  });
});

describe("environment interpolation", () => {
  test("a missing variable names the file, the path and the variable", () => {
    const error = errorOf(`servers:
  search:
    url: https://mcp.example.com/mcp
    headers: { Authorization: "Bearer \${SEARCH_TOKEN}" }
  files: { command: npx, args: [-y, "\${PKG}"] }
`);
    assert.equal(error.code, "CONFIG_ENV_MISSING");
    const lines = error.message.split("\n");
    assert.equal(lines[0], "/app/sophia.yaml: environment variables are missing (2 problems):");
    assert.equal(
      lines[1],
      "  /app/sophia.yaml:4:16: servers.search.headers.Authorization: environment variable SEARCH_TOKEN is not set",
    );
    assert.equal(
      lines[2],
      "  /app/sophia.yaml:5:37: servers.files.args[1]: environment variable PKG is not set",
    );
    assert.match(error.hint ?? "", /\$\{NAME:-value\}/);
  });

  test("defaults and escapes apply in values; keys are never interpolated", () => {
    const config = parse(
      'servers:\n  a: { command: "${CMD:-node}", args: ["$${HOME}", "${EMPTY:-fallback}", "${HOME}"] }\n',
      { EMPTY: "", HOME: "/home/ada" },
    );
    const server = config.servers.a;
    assert.equal(server?.transport === "stdio" && server.command, "node");
    assert.deepEqual(server?.transport === "stdio" && server.args, [
      "${HOME}",
      "fallback",
      "/home/ada",
    ]);
    const error = errorOf('servers:\n  "${NAME:-x}": { command: node }\n');
    assert.match(error.message, /servers\["\$\{NAME:-x\}"\]: invalid server name/);
  });

  test("a malformed reference is CONFIG_INVALID", () => {
    const error = errorOf('servers: { a: { command: "${oops" } }\n');
    assert.equal(error.code, "CONFIG_INVALID");
    assert.match(error.message, /servers\.a\.command: unterminated \$\{/);
  });

  test("values can never inject structure, in YAML or JSON", () => {
    const templates = [
      'servers:\n  s: { url: "https://h/mcp", headers: { Authorization: "Bearer ${T}" } }\n',
      '{"servers": {"s": {"url": "https://h/mcp", "headers": {"Authorization": "Bearer ${T}"}}}}',
      "servers:\n  s:\n    url: https://h/mcp\n    headers:\n      Authorization: Bearer ${T}\n",
    ];
    const nasty = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '"}, "x": {"command": "evil"}',
        "\n  evil: { command: rm }",
        "${OTHER}",
        "*a",
        "&a x",
        "]]}}",
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...templates), nasty, (template, value) => {
        const config = parse(template, { T: value, OTHER: "never" });
        assert.deepEqual(Object.keys(config.servers), ["s"]);
        const server = config.servers.s;
        assert.deepEqual(server?.transport === "streamable-http" && server.headers, {
          Authorization: `Bearer ${value}`,
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe("untrusted input", () => {
  const onlyConfigErrors = (text: string) => {
    try {
      parse(text, { A: "1" });
    } catch (error) {
      assert.ok(
        isSophiaError(error, "CONFIG_INVALID") || isSophiaError(error, "CONFIG_ENV_MISSING"),
        String(error),
      );
    }
  };

  test("any text either parses or fails with a configuration error", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), onlyConfigErrors), { numRuns: 500 });
  });

  test("any JSON value, including near-miss configurations, does too", () => {
    const keys = fc.constantFrom(
      "gateway",
      "servers",
      "mcpServers",
      "log",
      "command",
      "url",
      "args",
      "listen",
      "type",
      "builtin",
      "__proto__",
      "x",
    );
    const tree = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.jsonValue({ maxDepth: 1 }),
        tie("object"),
        fc.array(tie("value"), { maxLength: 3 }),
      ),
      object: fc.dictionary(keys, tie("value"), { maxKeys: 4 }),
    })).object;
    fc.assert(
      fc.property(tree, (value) => onlyConfigErrors(JSON.stringify(value))),
      { numRuns: 500 },
    );
  });
});
