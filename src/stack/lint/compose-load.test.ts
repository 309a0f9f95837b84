import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSophiaError } from "../../shared/errors.ts";
import { loadCompose } from "./compose-load.ts";
import { OverrideValue, ResetValue } from "./compose-tags.ts";
import { SourceMap } from "./source-map.ts";

const fresh = () => new SourceMap({ file: "x", line: 1, col: 1 });

describe("loadCompose", () => {
  it("records keys and sequence entries by their merge names", () => {
    const map = fresh();
    const text = [
      "services:",
      "  web:",
      "    image: nginx:1",
      "    ports:",
      '      - "8080:80"',
      "      - target: 90",
      "        host_ip: 127.0.0.1",
      "    environment:",
      "      - TOKEN=abc",
      "",
    ].join("\n");
    const doc = loadCompose(text, "compose.yaml", map);
    assert.deepEqual(doc, {
      services: {
        web: {
          image: "nginx:1",
          ports: ["8080:80", { target: 90, host_ip: "127.0.0.1" }],
          environment: ["TOKEN=abc"],
        },
      },
    });
    const loc = (path: string[]) => {
      const found = map.locate(path);
      return `${found.line}:${found.col}`;
    };
    assert.equal(loc(["services", "web", "image"]), "3:5");
    assert.equal(loc(["services", "web", "ports", "|80|8080|tcp"]), "5:9");
    assert.equal(loc(["services", "web", "ports", "127.0.0.1|90||tcp", "host_ip"]), "7:9");
    assert.equal(loc(["services", "web", "environment", "TOKEN"]), "9:9");
    assert.equal(
      loc(["services", "web", "nothing", "here"]),
      "2:3",
      "falls back to the nearest parent",
    );
  });

  it("turns !reset and !override into tag values", () => {
    const doc = loadCompose(
      "services:\n  a:\n    ports: !reset []\n    dns: !override [1.1.1.1]\n",
      "c.yaml",
      fresh(),
    );
    const a = (doc.services as Record<string, Record<string, unknown>>).a;
    assert.ok(a?.ports instanceof ResetValue);
    assert.ok(a?.dns instanceof OverrideValue);
    assert.deepEqual((a!.dns as OverrideValue).value, ["1.1.1.1"]);
  });

  it("expands anchors and merge keys, explicit keys winning", () => {
    const doc = loadCompose(
      "x-base: &base\n  read_only: true\n  image: a:1\nservices:\n  w:\n    <<: *base\n    image: b:2\n",
      "c.yaml",
      fresh(),
    );
    assert.deepEqual((doc.services as Record<string, unknown>).w, {
      read_only: true,
      image: "b:2",
    });
  });

  it("reads an empty file as an empty model", () => {
    assert.deepEqual(loadCompose("", "c.yaml", fresh()), {});
  });

  for (const [label, text, where] of [
    ["bad indentation", "services:\n  a: [\n", "c.yaml:"],
    ["a top-level list", "- a\n", "c.yaml:1:1"],
    ["a duplicate key", "a: 1\na: 2\n", "c.yaml:2:1"],
  ] as const) {
    it(`rejects ${label} with file:line:col`, () => {
      assert.throws(
        () => loadCompose(text, "c.yaml", fresh()),
        (error) => isSophiaError(error, "LINT_INPUT_INVALID") && error.message.startsWith(where),
      );
    });
  }
});
