import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { Principal } from "../auth/principal.ts";
import { DecisionCache } from "./decision-cache.ts";
import { decide } from "./evaluate.ts";
import type { Policies, Rule, Target } from "./types.ts";

function rule(partial: Partial<Rule> & Pick<Rule, "name" | "effect">): Rule {
  return {
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

const policies: Policies = {
  default: "deny",
  rules: [
    rule({ name: "no-rm", effect: "deny", names: ["rm*"] }),
    rule({ name: "admins", effect: "allow", roles: ["admin"] }),
    rule({
      name: "short",
      effect: "allow",
      names: ["echo"],
      arguments: { text: { maxLength: 3 } },
    }),
    rule({ name: "alice", effect: "allow", subjects: ["alice"], servers: ["fs"] }),
  ],
};

const caller = (subject: string, roles: string[] = []): Principal => ({
  subject,
  method: "api-key",
  keyId: `${subject}key000000`.slice(0, 12),
  roles,
  scopes: [],
});

describe("DecisionCache", () => {
  test("argument constraints run on every call, not only the first", () => {
    const cache = new DecisionCache(policies);
    const bob = caller("bob");
    const t = (text: string): Target => ({
      server: "x",
      kind: "tool",
      name: "echo",
      arguments: { text },
    });
    assert.equal(cache.decide(bob, t("ok"), true).allowed, true);
    const long = cache.decide(bob, t("too long"), true);
    assert.equal(long.allowed, false);
    assert.match(long.reason, /longer than 3/);
    assert.equal(cache.decide(bob, t("ok"), true).allowed, true);
    assert.equal(cache.decide(bob, t("too long"), false).allowed, true, "lists skip arguments");
    assert.equal(cache.size, 1);
  });

  test("callers with the same subject but other roles get their own decisions", () => {
    const cache = new DecisionCache(policies);
    const target: Target = { server: "db", kind: "tool", name: "query" };
    assert.equal(cache.decide(caller("eve"), target, true).allowed, false);
    assert.equal(cache.decide(caller("eve", ["admin"]), target, true).allowed, true);
    assert.equal(cache.decide(caller("eve"), target, true).allowed, false);
  });

  test("a server name cannot run into the tool name (length-prefixed key)", () => {
    const cache = new DecisionCache(policies);
    const alice = caller("alice");
    assert.equal(
      cache.decide(alice, { server: "fs", kind: "tool", name: "xread" }, true).allowed,
      true,
    );
    assert.equal(
      cache.decide(alice, { server: "fsx", kind: "tool", name: "read" }, true).allowed,
      false,
    );
  });

  test("stays within its bound, dropping the oldest entry", () => {
    const cache = new DecisionCache(policies, 3);
    const bob = caller("bob");
    for (const name of ["a", "b", "c", "d", "e"])
      cache.decide(bob, { server: "x", kind: "tool", name }, true);
    assert.equal(cache.size, 3);
  });

  test("many distinct callers stay within the bound too", () => {
    const cache = new DecisionCache(policies, 8);
    for (let i = 0; i < 100; i++) {
      const who = caller(`user${i}`);
      assert.equal(
        cache.decide(who, { server: "x", kind: "tool", name: "rm" }, true).allowed,
        false,
      );
      assert.ok(cache.size <= 8);
    }
    // Still right after starting over.
    assert.equal(
      cache.decide(caller("bob", ["admin"]), { server: "x", kind: "tool", name: "q" }, true)
        .allowed,
      true,
    );
  });

  test("always agrees with the uncached decision (property)", () => {
    const cache = new DecisionCache(policies, 16);
    const name = fc.constantFrom("echo", "rm", "rmdir", "ｅｃｈｏ", "read", "еcho", "a\u200bb");
    const who = fc.record({
      subject: fc.constantFrom("alice", "bob"),
      roles: fc.subarray(["admin", "ops"]),
    });
    fc.assert(
      fc.property(
        who,
        fc.constantFrom("fs", "db", "x"),
        fc.constantFrom("tool", "prompt", "resource"),
        name,
        fc.string({ maxLength: 6 }),
        fc.boolean(),
        (w, server, kind, n, text, args) => {
          const principal = caller(w.subject, w.roles);
          const target: Target = { server, kind, name: n, arguments: { text } };
          assert.deepEqual(
            cache.decide(principal, target, args),
            decide(policies, principal, target, args),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
