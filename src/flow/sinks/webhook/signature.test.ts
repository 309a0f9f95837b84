import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { sign, verify } from "./signature.ts";

const secret = "0123456789abcdef0123";

test("the signature is HMAC-SHA256 of '<t>.<body>' in hex", () => {
  const expected = createHmac("sha256", secret).update('1700000000.[{"a":1}]').digest("hex");
  assert.equal(sign(secret, '[{"a":1}]', 1_700_000_000), `t=1700000000,v1=${expected}`);
});

test("verify accepts a fresh signature and rejects changed bodies, other secrets and old times", () => {
  const header = sign(secret, "body", 1000);
  assert.equal(verify(secret, "body", header, { nowSeconds: 1010 }), true);
  assert.equal(verify(secret, "body!", header, { nowSeconds: 1010 }), false);
  assert.equal(verify(`${secret}x`, "body", header, { nowSeconds: 1010 }), false);
  assert.equal(verify(secret, "body", header, { nowSeconds: 2000 }), false);
  assert.equal(verify(secret, "body", "t=1000,v1=zz", { nowSeconds: 1000 }), false);
  assert.equal(verify(secret, "body", "garbage", { nowSeconds: 1000 }), false);
});
