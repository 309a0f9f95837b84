import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { secretReason } from "./secrets.ts";

describe("secretReason", () => {
  it("flags secret names with literal values", () => {
    for (const [name, value] of [
      ["DB_PASSWORD", "hunter2"],
      ["api_key", "abc"],
      ["GITHUB_TOKEN", "x"],
      ["JWT_SECRET", 12345],
      ["SSH_PRIVATE_KEY", "k"],
    ] as const) {
      assert.ok(secretReason(name, value), name);
    }
  });

  it("flags key-shaped values under any name", () => {
    for (const value of [
      "AKIAABCDEFGHIJKLMNOP",
      "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
      "-----BEGIN OPENSSH PRIVATE KEY-----",
      "sk-proj-abcdefghijklmnopqrstuvwxyz0123",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl",
    ]) {
      assert.match(secretReason("SETTING", value) ?? "", /looks like a key/, value);
    }
  });

  it("accepts references, files, empty values and ordinary settings", () => {
    for (const [name, value] of [
      ["DB_PASSWORD", "$" + "{DB_PASSWORD}"],
      ["DB_PASSWORD", "$DB_PASSWORD"],
      ["DB_PASSWORD", "$" + "{DB_PASSWORD:?set it}"],
      ["DB_PASSWORD_FILE", "/run/secrets/db"],
      ["TOKEN_PATH", "/etc/token"],
      ["API_KEY", ""],
      ["API_KEY", null],
      ["TOKEN_TTL_ENABLED", true],
      ["NODE_ENV", "production"],
      ["PASSWORD", "/run/secrets/password"],
    ] as const) {
      assert.equal(secretReason(name, value), undefined, `${name}=${String(value)}`);
    }
  });
});
