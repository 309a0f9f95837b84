import assert from "node:assert/strict";
import { test } from "node:test";
import { REDACTED, redactArguments } from "./redact.ts";

const args = {
  query: "salaries",
  auth: { token: "t0k", user: "ann" },
  items: [{ secret: 1, id: 2 }],
};

test("keys (the default) keeps top-level keys and hides every value", () => {
  assert.deepEqual(redactArguments(args, { mode: "keys" }), {
    query: REDACTED,
    auth: REDACTED,
    items: REDACTED,
  });
  assert.equal(redactArguments("text", { mode: "keys" }), REDACTED);
});

test("all hides everything, none keeps everything", () => {
  assert.equal(redactArguments(args, { mode: "all" }), REDACTED);
  assert.deepEqual(redactArguments(args, { mode: "none" }), args);
  assert.equal(redactArguments(undefined, { mode: "all" }), undefined);
});

test("paths hides only the listed values, * matching any key or index", () => {
  const out = redactArguments(args, {
    mode: "paths",
    paths: [
      ["auth", "token"],
      ["items", "*", "secret"],
    ],
  });
  assert.deepEqual(out, {
    query: "salaries",
    auth: { token: REDACTED, user: "ann" },
    items: [{ secret: REDACTED, id: 2 }],
  });
  assert.equal(args.auth.token, "t0k", "the call's own arguments are not changed");
});
