import assert from "node:assert/strict";
import { test } from "node:test";
import { compileUriTemplate } from "./uri-template.ts";

test("a simple expression matches one path segment", () => {
  const re = compileUriTemplate("test://template/{id}/data");
  assert.ok(re.test("test://template/42/data"));
  assert.ok(!re.test("test://template/4/2/data"));
  assert.ok(!re.test("test://other/42/data"));
});

test("a reserved expression matches across segments", () => {
  const re = compileUriTemplate("file:///{+path}");
  assert.ok(re.test("file:///etc/hosts"));
});

test("literal characters are not treated as regular expression syntax", () => {
  const re = compileUriTemplate("db://a.b/{x}");
  assert.ok(!re.test("db://aXb/1"));
});
