import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import fc from "fast-check";
import { signWebhookBody, verifyWebhookSignature } from "../../src/flow/sinks/index.ts";
import { loadSignature } from "./dist.ts";

const sig = loadSignature();
const SECRET = "s3cret-of-the-flow-sink";
const NOW = 1_790_000_000;
const BODY = '[{"id":"public.orders:0/1:0","op":"insert","table":"orders","after":{"id":7}}]';

function check(
  header: string | string[] | undefined,
  options: Partial<Parameters<typeof sig.verifySignature>[0]> = {},
) {
  return sig.verifySignature({
    secret: SECRET,
    rawBody: BODY,
    header,
    nowSeconds: NOW,
    ...options,
  });
}

describe("Sophia Trigger signature check (built dist/nodes/SophiaTrigger/signature.js)", () => {
  test("a valid signature passes and gives its timestamp", () => {
    assert.deepEqual(check(sig.signatureHeader(SECRET, BODY, NOW)), { ok: true, timestamp: NOW });
    const mac = createHmac("sha256", SECRET).update(`${NOW}.${BODY}`).digest("hex");
    assert.equal(sig.signatureHeader(SECRET, BODY, NOW), `t=${NOW},v1=${mac}`);
  });

  test("a forged digest, a changed body and a wrong secret are refused as mismatches", () => {
    const good = sig.signatureHeader(SECRET, BODY, NOW);
    const last = good.at(-1) === "0" ? "1" : "0";
    const forged = `${good.slice(0, -1)}${last}`;
    for (const [header, options] of [
      [forged, {}],
      [good, { rawBody: BODY.replace("7", "8") }],
      [good, { secret: `${SECRET}x` }],
      [sig.signatureHeader("another-secret-entirely", BODY, NOW), {}],
    ] as const) {
      const result = check(header, options);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.reason, "mismatch");
    }
  });

  test("timestamps outside the window are refused: stale as replays, future too", () => {
    const at = (t: number, toleranceSeconds?: number) =>
      check(sig.signatureHeader(SECRET, BODY, t), toleranceSeconds ? { toleranceSeconds } : {});
    assert.equal(sig.DEFAULT_TOLERANCE_SECONDS, 300);
    assert.equal(at(NOW - 300).ok, true);
    assert.equal(at(NOW + 300).ok, true);
    const stale = at(NOW - 301);
    assert.equal(!stale.ok && stale.reason, "stale");
    assert.match(!stale.ok ? stale.message : "", /301 s old .* replay/);
    const future = at(NOW + 301);
    assert.equal(!future.ok && future.reason, "future");
    assert.equal(at(NOW - 61, 60).ok, false);
    assert.equal(at(NOW - 59, 60).ok, true);
  });

  test("missing and malformed headers are refused with what is wrong", () => {
    const digest = sig.signatureHeader(SECRET, BODY, NOW).split("v1=")[1]!;
    const cases: [string | string[] | undefined, string][] = [
      [undefined, "missing"],
      ["", "missing"],
      ["garbage", "malformed"],
      [`v1=${digest}`, "malformed"],
      [`t=${NOW}`, "malformed"],
      [`t=abc,v1=${digest}`, "malformed"],
      [`t=${NOW},v1=zz`, "malformed"],
      [`t=${NOW},v1=${digest.slice(2)}`, "malformed"],
      [`t=${NOW},t=${NOW},v1=${digest}`, "malformed"],
      [`t=-${NOW},v1=${digest}`, "malformed"],
      [[`t=${NOW},v1=${digest}`, `t=${NOW},v1=${digest}`], "malformed"],
    ];
    for (const [header, reason] of cases) {
      const result = check(header);
      assert.equal(result.ok, false, String(header));
      assert.equal(!result.ok && result.reason, reason, String(header));
      assert.match(!result.ok ? result.message : "", /x-sophia-signature/);
    }
  });

  test("the HMAC is over the raw body bytes: a re-serialised body does not verify", () => {
    const raw = Buffer.from(
      '[ {"op": "insert", "table": "café", "after": {"note": "naïve ✓"}} ]\n',
    );
    const header = sig.signatureHeader(SECRET, raw, NOW);
    assert.equal(check(header, { rawBody: raw }).ok, true);
    assert.equal(check(header, { rawBody: raw.toString("utf8") }).ok, true);
    const reserialised = JSON.stringify(JSON.parse(raw.toString("utf8")));
    assert.equal(check(header, { rawBody: reserialised }).ok, false);
    assert.equal(check(header, { rawBody: Buffer.from(raw.toString("utf8"), "latin1") }).ok, false);
    assert.equal(check(header, { rawBody: raw.subarray(0, -1) }).ok, false);
  });

  test("it agrees with the flow's webhook sink: each side verifies the other's signatures", () => {
    const now = Math.floor(Date.now() / 1000);
    const fromSink = signWebhookBody(SECRET, BODY, now);
    assert.equal(check(fromSink, { nowSeconds: now }).ok, true);
    assert.equal(
      verifyWebhookSignature(SECRET, BODY, sig.signatureHeader(SECRET, BODY, now)),
      true,
    );
  });

  test("property: any body and secret verifies, and changing one byte of the body never does", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.string({ minLength: 16, maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, secret, at, flip) => {
          const body = Buffer.from(bytes);
          const header = sig.signatureHeader(secret, body, NOW);
          if (!sig.verifySignature({ secret, rawBody: body, header, nowSeconds: NOW }).ok)
            return false;
          const changed = Buffer.from(body);
          const index = at % changed.length;
          changed[index] = changed[index]! ^ flip;
          return !sig.verifySignature({ secret, rawBody: changed, header, nowSeconds: NOW }).ok;
        },
      ),
      { numRuns: 300 },
    );
  });
});
