import assert from "node:assert/strict";
import { test } from "node:test";
import { detectLayout } from "./detect.ts";

test("sophia sections win, then mcpServers, then VS Code's servers + inputs", () => {
  assert.equal(detectLayout({ gateway: {}, servers: {} }), "sophia");
  assert.equal(detectLayout({ mcpServers: {} }), "mcpServers");
  assert.equal(detectLayout({ mcpServers: {}, globalShortcut: "x" }), "mcpServers");
  assert.equal(detectLayout({ mcpServers: {}, log: {} }), "sophia");
  assert.equal(detectLayout({ servers: {}, inputs: [] }), "vscode");
  assert.equal(detectLayout({}), "sophia");
});

test("servers alone is VS Code only when every entry has a VS Code type and no Sophia key", () => {
  const vscode = {
    servers: { a: { type: "stdio", command: "x" }, b: { type: "http", url: "http://h" } },
  };
  assert.equal(detectLayout(vscode), "vscode");
  assert.equal(detectLayout({ servers: { a: { command: "x" } } }), "sophia");
  assert.equal(
    detectLayout({ servers: { a: { type: "stdio", command: "x" }, b: { command: "y" } } }),
    "sophia",
  );
  assert.equal(
    detectLayout({ servers: { a: { type: "sse", url: "http://h", prefix: "p" } } }),
    "sophia",
  );
  assert.equal(
    detectLayout({ servers: { a: { type: "streamable-http", url: "http://h" } } }),
    "sophia",
  );
  assert.equal(
    detectLayout({ servers: { a: { type: "stdio", command: "x" } }, extra: 1 }),
    "sophia",
  );
  assert.equal(detectLayout({ servers: {} }), "sophia");
  assert.equal(
    detectLayout({ servers: { a: { type: "stdio", command: "x", timeout: "5s" } } }),
    "sophia",
  );
});
