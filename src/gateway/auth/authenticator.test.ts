import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type ApiKeyRecord, generateApiKey } from "./api-key.ts";
import { type AuthMethods, authenticate } from "./authenticator.ts";
import type { KeyStore } from "./key-store.ts";

/** A key store that hands out whatever record is current, like KeyFile between reloads. */
function storeOf(current: () => ApiKeyRecord | undefined): KeyStore {
  return {
    get: async (id) => (current()?.id === id ? current() : undefined),
    list: async () => [current()].filter((r): r is ApiKeyRecord => r !== undefined),
    add: async () => {},
    revoke: async () => {
      throw new Error("not used");
    },
  };
}

function methods(keys: KeyStore): AuthMethods {
  return { keys, jwt: undefined, mtls: false };
}

function bearer(key: string) {
  return { headers: { authorization: `Bearer ${key}` }, peerCertificate: undefined };
}

/** The same key with one character of its secret changed (same length, same shape). */
function tampered(key: string, at: number): string {
  const i = key.length - 1 - at;
  const swapped = key[i] === "A" ? "B" : "A";
  return key.slice(0, i) + swapped + key.slice(i + 1);
}

test("a remembered secret never lets a different secret of the same key through", async () => {
  const made = generateApiKey({ name: "svc", roles: ["r"] });
  const auth = methods(storeOf(() => made.record));
  assert.equal((await authenticate(auth, bearer(made.key))).ok, true);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 42 }), async (at) => {
      const result = await authenticate(auth, bearer(tampered(made.key, at)));
      assert.equal(result.ok, false);
    }),
  );
  // The right secret still works after the refusals.
  assert.equal((await authenticate(auth, bearer(made.key))).ok, true);
});

test("a wrong secret first does not poison the key for its right secret", async () => {
  const made = generateApiKey({ name: "svc" });
  const auth = methods(storeOf(() => made.record));
  assert.equal((await authenticate(auth, bearer(tampered(made.key, 3)))).ok, false);
  assert.equal((await authenticate(auth, bearer(made.key))).ok, true);
});

test("a new record for the key (file changed) forgets what was verified", async () => {
  const made = generateApiKey({ name: "svc" });
  let record: ApiKeyRecord = made.record;
  const auth = methods(storeOf(() => record));
  assert.equal((await authenticate(auth, bearer(made.key))).ok, true);
  // Same id, new secret: what the old record remembered must not carry over.
  const rotated = generateApiKey({ name: "svc" });
  record = { ...rotated.record, id: made.record.id };
  assert.equal((await authenticate(auth, bearer(made.key))).ok, false);
  // Revoked in a new file: refused although the secret matched before.
  record = { ...made.record, revoked: new Date().toISOString() };
  const refused = await authenticate(auth, bearer(made.key));
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? "" : refused.reason, /revoked/);
});

test("expiry is checked on every request, also for a remembered secret", async () => {
  const made = generateApiKey({ name: "svc" });
  const record = { ...made.record, expires: new Date(Date.now() + 150).toISOString() };
  const auth = methods(storeOf(() => record));
  assert.equal((await authenticate(auth, bearer(made.key))).ok, true);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const late = await authenticate(auth, bearer(made.key));
  assert.equal(late.ok, false);
  assert.match(late.ok ? "" : late.reason, /expired/);
});
