import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { Principal } from "../auth/principal.ts";
import { decide } from "./evaluate.ts";
import type { Policies, Rule } from "./types.ts";

function rule(partial: Partial<Rule> & Pick<Rule, "effect">): Rule {
  return {
    name: partial.name ?? "r",
    servers: ["*"],
    kinds: ["tool", "prompt", "resource"],
    names: ["*"],
    subjects: [],
    roles: [],
    scopes: [],
    keyIds: [],
    arguments: {},
    ...partial,
  };
}

const alice: Principal = {
  subject: "alice",
  method: "api-key",
  keyId: "k1",
  roles: ["admin"],
  scopes: [],
};
const bob: Principal = { subject: "bob", method: "jwt", roles: [], scopes: ["read"] };

const policies: Policies = {
  default: undefined,
  rules: [
    rule({ name: "admins", effect: "allow", servers: ["gh"], roles: ["admin"] }),
    rule({ name: "no-delete", effect: "deny", servers: ["gh"], names: ["delete_*"] }),
    rule({
      name: "readers",
      effect: "allow",
      servers: ["gh"],
      scopes: ["read"],
      arguments: {
        limit: { min: 1, max: 100 },
        mode: { values: ["fast", "slow"] },
        path: { pattern: /^(?:\/data\/.*)$/u, maxLength: 20 },
      },
    }),
    rule({
      name: "files",
      effect: "deny",
      servers: ["fs"],
      kinds: ["resource"],
      names: ["file:///secret/*"],
    }),
  ],
};

describe("policy decisions (first match wins)", () => {
  test("a server no rule names is allowed by default; a named server denies unmatched calls", () => {
    assert.equal(decide(policies, bob, { server: "other", kind: "tool", name: "x" }).allowed, true);
    const anon: Principal = { subject: "anonymous", method: "anonymous", roles: [], scopes: [] };
    const d = decide(policies, anon, { server: "gh", kind: "tool", name: "list" });
    assert.equal(d.allowed, false);
    assert.equal(d.rule, undefined);
  });

  test("order decides: the admin rule before the deny lets admins delete, others not", () => {
    assert.equal(
      decide(policies, alice, { server: "gh", kind: "tool", name: "delete_repo" }).allowed,
      true,
    );
    const d = decide(policies, bob, { server: "gh", kind: "tool", name: "delete_repo" });
    assert.deepEqual([d.allowed, d.rule], [false, "no-delete"]);
  });

  test("argument constraints: range, allow-list, pattern, length", () => {
    const call = (args: Record<string, unknown>) =>
      decide(policies, bob, { server: "gh", kind: "tool", name: "search", arguments: args });
    assert.equal(call({ limit: 5, mode: "fast", path: "/data/x" }).allowed, true);
    assert.match(call({ limit: 500 }).reason, /limit.*above 100/);
    assert.match(call({ limit: "5" }).reason, /must be a number/);
    assert.match(call({ mode: "turbo" }).reason, /allowed values/);
    assert.match(call({ path: "/etc/passwd" }).reason, /pattern/);
    assert.match(call({ path: "/data/aaaaaaaaaaaaaaaaaaaaaaaa" }).reason, /longer/);
    // Lists ignore arguments.
    assert.equal(
      decide(policies, bob, { server: "gh", kind: "tool", name: "search" }, false).allowed,
      true,
    );
  });

  test("name tricks do not slip past a deny", () => {
    for (const name of [
      "DELETE_repo",
      "Delete_Repo",
      "ｄｅｌｅｔｅ_repo",
      "delete_repo\u200b",
      "dеlete_repo",
      "delete\u0000_repo",
    ]) {
      assert.equal(
        decide(policies, bob, { server: "gh", kind: "tool", name }).allowed,
        false,
        name,
      );
    }
  });

  test("resource URIs: encoded and dot-segment traversal are refused", () => {
    const read = (name: string) =>
      decide(policies, bob, { server: "fs", kind: "resource", name }).allowed;
    assert.equal(read("file:///secret/key"), false);
    assert.equal(read("file:///public/../secret/key"), false);
    assert.equal(read("file:///public/%2e%2e/secret/key"), false);
    assert.equal(read("file:///public/%252e%252e/secret/key"), false);
    assert.equal(read("file:///%73ecret/key"), false);
    assert.equal(read("FILE:///SECRET/key"), false);
  });

  test("property: with a deny-all first rule nothing is ever allowed", () => {
    const denyAll: Policies = { default: "allow", rules: [rule({ effect: "deny" })] };
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.constantFrom("tool", "prompt", "resource" as const),
        (server, name, kind) => decide(denyAll, alice, { server, kind, name }).allowed === false,
      ),
    );
  });

  test("property: any spelling whose NFKC lower-case form is a denied name is denied", () => {
    const deny: Policies = {
      default: "allow",
      rules: [rule({ effect: "deny", names: ["drop_table"] })],
    };
    const variants = fc
      .array(fc.boolean(), { minLength: 10, maxLength: 10 })
      .map((upper) => [..."drop_table"].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));
    fc.assert(
      fc.property(variants, fc.boolean(), (name, wide) => {
        const spelled = wide
          ? [...name]
              .map((c) => (c === "_" ? c : String.fromCodePoint(c.codePointAt(0)! + 0xfee0)))
              .join("")
          : name;
        return !decide(deny, bob, { server: "s", kind: "tool", name: spelled }).allowed;
      }),
    );
  });

  test("property: without rules for a server every call there is allowed", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z_]{1,20}$/),
        (name) => decide(policies, bob, { server: "unlisted", kind: "tool", name }).allowed,
      ),
    );
  });
});
