// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are configuration text with ${VAR} references
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError } from "./config-error.ts";
import { parseConfigText } from "./parse.ts";

const CLAUDE_FILE = "/home/ada/Library/Application Support/Claude/claude_desktop_config.json";
const CLAUDE_DESKTOP = `{
  "mcpServers": {
    "filesystem": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/ada/Desktop", "/Users/ada/Downloads"]
    },
    "github": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_example" },
      "autoApprove": ["search_repositories"],
      "alwaysAllow": [],
      "timeout": 60
    },
    "sqlite": {
      "command": "uvx",
      "args": ["mcp-server-sqlite", "--db-path", "/Users/ada/test.db"],
      "disabled": true,
      "description": "uses \${NOT_A_VARIABLE_WE_READ}"
    },
    "linear": { "url": "https://mcp.linear.app/sse", "headers": { "Authorization": "Bearer \${LINEAR_TOKEN}" } },
    "notion": { "type": "http", "url": "https://mcp.notion.com/mcp" },
    "windsurf-style": { "serverUrl": "https://example.com/mcp" }
  },
  "globalShortcut": "Ctrl+Space"
}
`;

const VSCODE_FILE = "/work/repo/.vscode/mcp.json";
const VSCODE_MCP_JSON = `// Workspace MCP servers
{
  "inputs": [
    { "type": "promptString", "id": "perplexity-key", "description": "Perplexity API Key", "password": true }
  ],
  "servers": {
    /* local tools */
    "Perplexity": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "server-perplexity-ask"],
      "env": { "PERPLEXITY_API_KEY": "\${input:perplexity-key}" },
      "envFile": "\${workspaceFolder}/.env",
    },
    "fetch": { "type": "stdio", "command": "uvx", "args": ["mcp-server-fetch"], "cwd": "\${workspaceFolder}/tools" },
    "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": { "X-Token": "\${env:GH_TOKEN}" } },
    "legacy": { "type": "sse", "url": "http://localhost:3001/events" }, // trailing comma next
  },
}
`;

const errorOf = (text: string, file: string, env: Record<string, string> = {}): ConfigError => {
  try {
    parseConfigText(text, { file, env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  return assert.fail("expected a ConfigError");
};

describe("Claude Desktop / Cursor mcpServers files", () => {
  const config = parseConfigText(CLAUDE_DESKTOP, {
    file: CLAUDE_FILE,
    env: { LINEAR_TOKEN: "lin" },
  });

  test("are read unchanged, with embedded gateway defaults", () => {
    assert.equal(config.format, "mcpServers");
    assert.equal(config.file, CLAUDE_FILE);
    assert.equal(config.gateway.port, 8080);
    assert.deepEqual(Object.keys(config.servers), [
      "filesystem",
      "github",
      "sqlite",
      "linear",
      "notion",
      "windsurf-style",
    ]);
  });

  test("stdio entries keep command, args and env; unknown keys are ignored", () => {
    assert.deepEqual(config.servers.github, {
      transport: "stdio",
      command: "docker",
      args: [
        "run",
        "-i",
        "--rm",
        "-e",
        "GITHUB_PERSONAL_ACCESS_TOKEN",
        "ghcr.io/github/github-mcp-server",
      ],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: "ghp_example" },
      cwd: undefined,
      pool: 1,
      prefix: "github",
      enabled: true,
      timeoutMs: 60_000,
      maxConcurrency: 64,
      connectTimeoutMs: 30_000,
    });
  });

  test("disabled: true turns a server off; ignored keys are not interpolated", () => {
    assert.equal(config.servers.sqlite?.enabled, false);
    assert.equal(config.servers.filesystem?.enabled, true);
  });

  test("url entries: /sse paths mean legacy SSE, type http means streamable HTTP, serverUrl is url", () => {
    const linear = config.servers.linear;
    assert.equal(linear?.transport, "sse");
    assert.deepEqual(linear?.transport === "sse" && linear.headers, {
      Authorization: "Bearer lin",
    });
    assert.equal(config.servers.notion?.transport, "streamable-http");
    const windsurf = config.servers["windsurf-style"];
    assert.equal(
      windsurf?.transport === "streamable-http" && windsurf.url,
      "https://example.com/mcp",
    );
  });
});

describe("VS Code .vscode/mcp.json", () => {
  const env = { PERPLEXITY_KEY: "pplx", GH_TOKEN: "gh" };
  const config = parseConfigText(VSCODE_MCP_JSON, { file: VSCODE_FILE, env });

  test("is detected from servers + inputs, comments and trailing commas allowed", () => {
    assert.equal(config.format, "mcpServers");
    assert.deepEqual(Object.keys(config.servers), ["Perplexity", "fetch", "github", "legacy"]);
  });

  test("${input:id} reads the environment variable named after the id", () => {
    const server = config.servers.Perplexity;
    assert.deepEqual(server?.transport === "stdio" && server.env, { PERPLEXITY_API_KEY: "pplx" });
  });

  test("${workspaceFolder} is the folder holding .vscode, ${env:X} is X", () => {
    const fetch = config.servers.fetch;
    assert.equal(fetch?.transport === "stdio" && fetch.cwd, "/work/repo/tools");
    const github = config.servers.github;
    assert.deepEqual(github?.transport === "streamable-http" && github.headers, {
      "X-Token": "gh",
    });
    assert.equal(config.servers.legacy?.transport, "sse");
  });

  test("a missing input names the variable to set", () => {
    const error = errorOf(VSCODE_MCP_JSON, VSCODE_FILE, { GH_TOKEN: "gh" });
    assert.equal(error.code, "CONFIG_ENV_MISSING");
    assert.match(
      error.message,
      /\/work\/repo\/\.vscode\/mcp\.json:12:16: servers\.Perplexity\.env\.PERPLEXITY_API_KEY: environment variable PERPLEXITY_KEY is not set \(VS Code prompts for input "perplexity-key"; Sophia reads it from PERPLEXITY_KEY\)/,
    );
  });

  test("servers with type set everywhere and no inputs is still VS Code", () => {
    const text = '{"servers": {"a": {"type": "stdio", "command": "x", "gallery": true}}}';
    assert.equal(parseConfigText(text, { file: "/x/mcp.json", env: {} }).format, "mcpServers");
  });
});

describe("client file errors name the file and the path", () => {
  const file = "/x/claude_desktop_config.json";
  const cases: [string, string, RegExp][] = [
    [
      "neither",
      '{"a": {"args": []}}',
      /:1:17: mcpServers\.a: expected either "command" \(a stdio server\) or "url" .*found neither/,
    ],
    [
      "both",
      '{"a": {"command": "x", "url": "http://h"}}',
      /mcpServers\.a: expected either .*found both/,
    ],
    [
      "args type",
      '{"a": {"command": "x", "args": ["ok", 1]}}',
      /:1:54: mcpServers\.a\.args\[1\]: expected a string, found a number/,
    ],
    [
      "env type",
      '{"a": {"command": "x", "env": {"K": true}}}',
      /mcpServers\.a\.env\.K: expected a string, found a boolean/,
    ],
    [
      "bad url",
      '{"a": {"url": "localhost:3000"}}',
      /mcpServers\.a\.url: expected an absolute http:\/\/ or https:\/\/ URL, found a string/,
    ],
    [
      "bad type",
      '{"a": {"type": "websocket", "url": "http://h"}}',
      /mcpServers\.a\.type: expected one of "stdio", "http", "sse", found "websocket"/,
    ],
    [
      "stdio with url",
      '{"a": {"type": "stdio", "url": "http://h"}}',
      /mcpServers\.a\.type: "stdio" needs "command"/,
    ],
    [
      "bad name",
      '{"my server": {"command": "x"}}',
      /mcpServers\["my server"\]: invalid server name/,
    ],
    [
      "separator",
      '{"a__b": {"command": "x"}}',
      /mcpServers\.a__b: server name contains the separator/,
    ],
    ["not a map", '{"a": ["x"]}', /mcpServers\.a: expected a mapping, found a list/],
  ];
  for (const [name, servers, pattern] of cases) {
    test(name, () => {
      const error = errorOf(`{"mcpServers": ${servers}}`, file);
      assert.equal(error.code, "CONFIG_INVALID");
      assert.match(
        error.message,
        new RegExp(
          `/x/claude_desktop_config\\.json${pattern.source.startsWith(":") ? "" : ":\\d+:\\d+: "}${pattern.source}`,
        ),
      );
    });
  }

  test("a JSON syntax error gives line and column", () => {
    const error = errorOf('{\n  "mcpServers": {\n    "a": { "command": "x" }\n  \n', file);
    assert.match(error.message, /\/x\/claude_desktop_config\.json:\d+:\d+: JSON syntax error: /);
  });
});
