import assert from "node:assert/strict";
import { test } from "node:test";
import { formatPath } from "./path.ts";

test("formats paths in dotted form with list indexes", () => {
  assert.equal(formatPath(["servers", "files", "args", 1]), "servers.files.args[1]");
  assert.equal(
    formatPath(["servers", "search", "headers", "X-Api-Key"]),
    "servers.search.headers.X-Api-Key",
  );
});

test("quotes keys that would be ambiguous", () => {
  assert.equal(formatPath(["servers", "my server"]), 'servers["my server"]');
  assert.equal(formatPath(["env", "A.B"]), 'env["A.B"]');
  assert.equal(formatPath([]), "(top level)");
});
