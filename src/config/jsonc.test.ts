import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { blankJsonComments, looksLikeJson } from "./jsonc.ts";

describe("blankJsonComments", () => {
  test("blanks line and block comments and keeps every offset", () => {
    const text = '{\n  // servers\n  "a": 1, /* one\n two */ "b": 2 // end\n}';
    const blanked = blankJsonComments(text);
    assert.equal(blanked.length, text.length);
    assert.deepEqual(JSON.parse(blanked), { a: 1, b: 2 });
    assert.equal(blanked.split("\n").length, text.split("\n").length);
  });

  test("leaves comment markers inside strings and URLs alone", () => {
    const text = '{"url": "https://x/y", "glob": "/* not */", "q": "a\\"//b"}';
    assert.equal(blankJsonComments(text), text);
    assert.equal(blankJsonComments("{url: http://x}"), "{url: http://x}");
  });
});

describe("looksLikeJson", () => {
  test("JSON starts with { or [, possibly after a BOM or comments", () => {
    assert.equal(looksLikeJson('  {"a": 1}'), true);
    assert.equal(looksLikeJson('\uFEFF{"a": 1}'), true);
    assert.equal(looksLikeJson('// mcp.json\n{"servers": {}}'), true);
    assert.equal(looksLikeJson("servers: {}"), false);
    assert.equal(looksLikeJson("# comment\n{a: 1}"), false);
  });
});
