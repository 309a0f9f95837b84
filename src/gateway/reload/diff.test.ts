import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseConfigText } from "../../config/index.ts";
import { diffConfigs } from "./diff.ts";

const parse = (text: string) => parseConfigText(text, { file: "sophia.yaml", env: {} });

describe("config diff for hot reload", () => {
  const before = parse(`
gateway: { listen: "127.0.0.1:8080" }
servers:
  keep: { command: a }
  change: { command: b }
  drop: { command: c }
  off: { command: d, enabled: false }
`);

  test("added, removed, changed and unchanged servers", () => {
    const after = parse(`
gateway: { listen: "127.0.0.1:8080" }
servers:
  keep: { command: a }
  change: { command: b, timeout: 5s }
  off: { command: d }
  new: { url: "http://127.0.0.1:9/mcp" }
`);
    assert.deepEqual(diffConfigs(before, after), {
      added: ["off", "new"],
      removed: ["drop"],
      changed: ["change"],
      unchanged: ["keep"],
      needsRestart: [],
    });
  });

  test("a new listen address and other gateway settings need a restart", () => {
    const after = parse(`
gateway: { listen: "127.0.0.1:9090", drain: 1s }
servers:
  keep: { command: a }
  change: { command: b }
  drop: { command: c }
`);
    const diff = diffConfigs(before, after);
    assert.deepEqual(diff.needsRestart, [
      "listen address 127.0.0.1:8080 -> 127.0.0.1:9090",
      "gateway.drainMs",
    ]);
    assert.deepEqual(diff.changed, []);
  });
});
