import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Principal } from "../auth/principal.ts";
import type { CallInfo } from "../mcp/call-pipeline.ts";
import type { LimitRule } from "./config.ts";
import { BucketRefCache, bucketsFor } from "./keys.ts";

const limit = { kind: "bucket", ratePerMs: 1, burst: 1 } as const;
const rules: LimitRule[] = [
  { name: "per-key", per: ["key", "tool"], servers: ["*"], tools: ["*"], limit },
  { name: "fs", per: ["subject"], servers: ["fs"], tools: ["read*"], limit },
  { name: "all", per: [], servers: ["*"], tools: ["*"], limit },
];

function call(principal: Principal, server: string, name: string): CallInfo {
  return {
    principal,
    server,
    kind: "tool",
    name,
    exposedName: `${server}__${name}`,
    arguments: undefined,
    params: { name },
    annotations: undefined,
    context: {
      signal: new AbortController().signal,
      onNotification() {},
      onServerRequest: () => Promise.resolve({ result: {} }),
    },
  };
}

test("the cache always gives what bucketsFor computes (property)", () => {
  const cache = new BucketRefCache(rules);
  const principals = [
    { subject: "ann", method: "api-key", keyId: "k1", roles: [], scopes: [] },
    { subject: "ann", method: "jwt", roles: [], scopes: [] },
    { subject: "bob", method: "api-key", keyId: "k2", roles: [], scopes: [] },
  ] satisfies Principal[];
  fc.assert(
    fc.property(
      fc.constantFrom(...principals),
      fc.boolean(),
      fc.constantFrom("fs", "db", "f"),
      fc.constantFrom("read", "readme", "write", "s"),
      (principal, copy, server, name) => {
        // A fresh but equal principal object (a JWT caller) must get the same buckets.
        const who = copy ? { ...principal } : principal;
        assert.deepEqual(
          cache.for(call(who, server, name)),
          bucketsFor(rules, call(who, server, name)),
        );
      },
    ),
    { numRuns: 300 },
  );
});

test("callers that differ only in subject or method get different buckets", () => {
  const cache = new BucketRefCache(rules);
  const ann: Principal = { subject: "ann", method: "jwt", roles: [], scopes: [] };
  const annKey: Principal = { subject: "ann", method: "mtls", roles: [], scopes: [] };
  const a = cache.for(call(ann, "fs", "read")).map((r) => r.key);
  const b = cache.for(call(annKey, "fs", "read")).map((r) => r.key);
  assert.notDeepEqual(a, b);
});
