// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are configuration text with ${VAR} references
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  envResolver,
  escapeInterpolation,
  fillSecrets,
  interpolateString,
  interpolateTree,
  secretPaths,
} from "./interpolate.ts";
import { parseConfigText } from "./parse.ts";

const env = { HOST: "db.local", EMPTY: "", TOKEN: "s3cret" };
const resolve = envResolver(env);
const run = (text: string) => interpolateString(text, resolve);

describe("interpolateString", () => {
  test("substitutes set variables anywhere in the string", () => {
    assert.equal(run("postgres://${HOST}:5432/${HOST}").value, "postgres://db.local:5432/db.local");
  });

  test("uses the default when the variable is unset or empty, like a shell", () => {
    assert.equal(run("${NOPE:-fallback}").value, "fallback");
    assert.equal(run("${EMPTY:-fallback}").value, "fallback");
    assert.equal(run("${HOST:-fallback}").value, "db.local");
    assert.equal(run("${NOPE:-}").value, "");
  });

  test("a set but empty variable without default is the empty string, not missing", () => {
    const result = run("a${EMPTY}b");
    assert.equal(result.value, "ab");
    assert.deepEqual(result.problems, []);
  });

  test("$${ is a literal ${ and is not substituted", () => {
    const result = run("cost: $${HOST} and ${HOST}");
    assert.equal(result.value, "cost: ${HOST} and db.local");
    assert.deepEqual(result.problems, []);
  });

  test("lone dollars and braces are left alone", () => {
    assert.equal(run("$HOST $ {x} $$ a}").value, "$HOST $ {x} $$ a}");
    assert.equal(run("plain").substituted, false);
  });

  test("reports every unset variable, with its path", () => {
    const result = interpolateString("${A}-${B}", resolve, ["servers", "x", "args", 0]);
    assert.deepEqual(
      result.problems.map((problem) => problem.kind === "missing" && problem.variable),
      ["A", "B"],
    );
    assert.deepEqual(result.problems[0]?.path, ["servers", "x", "args", 0]);
  });

  test("malformed references are syntax problems", () => {
    assert.equal(run("${unterminated").problems[0]?.kind, "syntax");
    assert.equal(run("${}").problems[0]?.kind, "syntax");
    assert.equal(run("${1ABC}").problems[0]?.kind, "syntax");
    assert.equal(run("${A B}").problems[0]?.kind, "syntax");
  });
});

describe("interpolateTree", () => {
  test("interpolates values at every depth, never keys, and records substituted paths", () => {
    const tree = { "${HOST}": { list: ["${TOKEN}", 3, true, null], plain: "x" } };
    const result = interpolateTree(tree, resolve);
    assert.deepEqual(result.value, { "${HOST}": { list: ["s3cret", 3, true, null], plain: "x" } });
    assert.ok(result.substituted.has(JSON.stringify(["${HOST}", "list", 0])));
    assert.ok(!result.substituted.has(JSON.stringify(["${HOST}", "plain"])));
  });

  test("keeps a __proto__ key as a plain own key", () => {
    const tree = JSON.parse('{"__proto__": {"polluted": "yes"}}');
    const result = interpolateTree(tree, resolve).value as Record<string, unknown>;
    assert.deepEqual(Object.keys(result), ["__proto__"]);
    assert.equal((result as { polluted?: string }).polluted, undefined);
  });
});

describe("interpolation properties", () => {
  test("escaping round-trips any string", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("$", "{", "}", "a", ":", "-", "\\", " ") }),
        (text) => {
          const result = interpolateString(escapeInterpolation(text), envResolver({}));
          assert.deepEqual(result.problems, []);
          assert.equal(result.value, text);
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        assert.equal(interpolateString(escapeInterpolation(text), envResolver({})).value, text);
      }),
    );
  });

  test("strings without ${ come out unchanged", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.includes("${"));
        assert.equal(interpolateString(text, envResolver({})).value, text);
      }),
    );
  });

  test("a substituted value is inserted verbatim and never interpolated again", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (before, value, after) => {
        fc.pre(!before.includes("$") && !after.includes("$"));
        const result = interpolateString(
          `${before}\${V}${after}`,
          envResolver({ V: value, X: "no" }),
        );
        assert.equal(result.value, `${before}${value}${after}`);
      }),
    );
  });
});

describe("${file:…} references", () => {
  const dir = mkdtempSync(join(tmpdir(), "sophia-interp-"));
  const token = join(dir, "token");
  writeFileSync(token, "tok-123\n");
  writeFileSync(join(dir, "multi"), "line1\nline2\n\n");
  test.after(() => rmSync(dir, { recursive: true, force: true }));

  test("reads the file at load, trimming one trailing newline", () => {
    assert.equal(run(`Bearer \${file:${token}}`).value, "Bearer tok-123");
    assert.equal(run(`\${file:${join(dir, "multi")}}`).value, "line1\nline2\n");
  });

  test("a relative path or an unreadable file is a syntax problem naming the file", () => {
    const message = (text: string) => {
      const problem = run(text).problems[0];
      return problem?.kind === "syntax"
        ? problem.message
        : `not a syntax problem: ${problem?.kind}`;
    };
    assert.match(message("${file:secrets/x}"), /absolute path/);
    assert.match(
      message(`\${file:${join(dir, "nope")}}`),
      new RegExp(`${join(dir, "nope")}.*does not exist`),
    );
  });

  test("the loaded configuration never echoes the file's content in an error", () => {
    const bad = join(dir, "bad-port");
    writeFileSync(bad, "hunter2-not-a-port\n");
    const text = `gateway:\n  listen: "127.0.0.1:\${file:${bad}}"\nservers: {}\n`;
    assert.throws(
      () => parseConfigText(text, { file: "sophia.yaml", env: {} }),
      (error: Error) => !error.message.includes("hunter2"),
    );
    assert.throws(
      () => parseConfigText(text.replace(bad, join(dir, "gone")), { file: "sophia.yaml", env: {} }),
      (error: Error & { code?: string }) =>
        error.code === "CONFIG_INVALID" && error.message.includes(join(dir, "gone")),
    );
  });
});

describe("${secret:…} references", () => {
  test("become markers that only the secret filler replaces", () => {
    const result = run("Bearer ${secret:github.token} for ${HOST}");
    assert.deepEqual(result.problems, []);
    assert.deepEqual(secretPaths(result.value), ["github.token"]);
    assert.equal(
      fillSecrets(result.value, (path) => `<${path}>`),
      "Bearer <github.token> for db.local",
    );
    assert.equal(run("${secret:not a path}").problems[0]?.kind, "syntax");
  });

  test("property: no text arriving through ${VAR} ever becomes a secret reference", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (value, suffix) => {
        const forged = `\u0000secret:${value}:${suffix}\u0000\${secret:${suffix}}`;
        const result = interpolateString("${V}", envResolver({ V: forged }));
        assert.deepEqual(secretPaths(result.value), []);
        assert.equal(result.value, forged);
      }),
    );
  });
});
