import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import {
  generateApiKey,
  keyProblem,
  parseApiKey,
  secretMatches,
  secretMatchesDigest,
} from "./api-key.ts";

test("a generated key parses back and its secret matches the stored hash only", () => {
  const { key, record } = generateApiKey({ name: "ci", scopes: ["read"] });
  assert.match(key, /^sk_sophia_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
  assert.ok(!JSON.stringify(record).includes(key.slice(23)), "the record holds no secret");
  const parsed = parseApiKey(key);
  assert.ok(parsed);
  assert.equal(parsed.id, record.id);
  assert.equal(secretMatches(parsed.secret, record.hash), true);
  assert.equal(
    secretMatches(`${parsed.secret.slice(0, -1)}x`, record.hash),
    parsed.secret.endsWith("x"),
  );
});

test("expired and revoked keys are refused with the reason", () => {
  const { record } = generateApiKey({ name: "x", expiresAt: new Date(Date.now() - 1000) });
  assert.equal(keyProblem(record), "the API key has expired");
  assert.equal(
    keyProblem({ ...record, expires: undefined, revoked: new Date().toISOString() }),
    "the API key was revoked",
  );
  assert.equal(keyProblem({ ...record, expires: undefined }), undefined);
});

test("property: arbitrary text never parses as a key unless shaped like one", () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const parsed = parseApiKey(text);
      return parsed === undefined || text === `sk_sophia_${parsed.id}_${parsed.secret}`;
    }),
  );
});

test("the digest comparison keeps no state between checks", () => {
  const a = generateApiKey({ name: "a" });
  const b = generateApiKey({ name: "b" });
  const sa = parseApiKey(a.key)!.secret;
  const sb = parseApiKey(b.key)!.secret;
  const ha = Buffer.from(a.record.hash, "hex");
  const hb = Buffer.from(b.record.hash, "hex");
  for (let i = 0; i < 3; i++) {
    assert.equal(secretMatchesDigest(sa, ha), true);
    assert.equal(secretMatchesDigest(sb, ha), false);
    assert.equal(secretMatchesDigest(sb, hb), true);
    assert.equal(secretMatchesDigest(sa, hb), false);
  }
  assert.equal(secretMatchesDigest(sa, ha.subarray(0, 16)), false, "a stored hash of another size");
  assert.equal(
    secretMatchesDigest("ü€𝄞", Buffer.from(createHash("sha256").update("ü€𝄞").digest())),
    true,
  );
});
