/**
 * The check of a flow webhook sink's `x-sophia-signature: t=<unix seconds>,v1=<hex>`
 * header, where `<hex>` is HMAC-SHA256(secret, "<t>.<raw body>"). Pure: the caller
 * passes the clock, so every outcome can be tested without waiting.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-sophia-signature";

/** Default oldest (and furthest future) accepted timestamp, in seconds from now. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type SignatureFailure = "missing" | "malformed" | "stale" | "future" | "mismatch";

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: SignatureFailure; message: string };

export interface SignatureInput {
  secret: string;
  /** The request body exactly as received (a string is taken as UTF-8). */
  rawBody: Buffer | string;
  /** The header's value as the HTTP layer gives it (a repeated header arrives as an array). */
  header: string | string[] | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const UNIX_SECONDS = /^[0-9]{1,12}$/;

/** HMAC-SHA256 of "<t>.<body>" as lower-case hex. */
export function signatureDigest(secret: string, rawBody: Buffer | string, t: number): string {
  return createHmac("sha256", secret).update(`${t}.`).update(rawBody).digest("hex");
}

/** The header value a sender puts on `rawBody` at time `t` (used by tests and tools). */
export function signatureHeader(secret: string, rawBody: Buffer | string, t: number): string {
  return `t=${t},v1=${signatureDigest(secret, rawBody, t)}`;
}

function fail(reason: SignatureFailure, message: string): SignatureCheck {
  return { ok: false, reason, message };
}

/** `t` and every `v1` of the header, or undefined when it is not of that shape. */
function parseHeader(value: string): { t: number; v1: string[] } | undefined {
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of value.split(",")) {
    const at = part.indexOf("=");
    if (at <= 0) return undefined;
    const key = part.slice(0, at).trim();
    const field = part.slice(at + 1).trim();
    if (key === "t") {
      if (t !== undefined || !UNIX_SECONDS.test(field)) return undefined;
      t = Number(field);
    } else if (key === "v1") {
      if (!HEX_SHA256.test(field)) return undefined;
      v1.push(field);
    }
  }
  return t === undefined || v1.length === 0 ? undefined : { t, v1 };
}

/**
 * Verifies a signed request: the header's shape, the timestamp window (replays
 * and clocks far ahead are refused) and the HMAC, compared in constant time.
 */
export function verifySignature(input: SignatureInput): SignatureCheck {
  const { header } = input;
  if (header === undefined || header === "")
    return fail("missing", `no ${SIGNATURE_HEADER} header`);
  if (Array.isArray(header))
    return fail("malformed", `${SIGNATURE_HEADER} was sent ${header.length} times; expected once`);
  const parsed = parseHeader(header);
  if (!parsed)
    return fail(
      "malformed",
      `${SIGNATURE_HEADER} is not of the form t=<unix seconds>,v1=<64 hex digits>`,
    );
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const age = input.nowSeconds - parsed.t;
  if (age > tolerance)
    return fail(
      "stale",
      `signature timestamp is ${age} s old (more than ${tolerance} s): refused as a replay`,
    );
  if (-age > tolerance)
    return fail(
      "future",
      `signature timestamp is ${-age} s in the future (more than ${tolerance} s)`,
    );
  const expected = Buffer.from(signatureDigest(input.secret, input.rawBody, parsed.t), "hex");
  let match = false;
  for (const given of parsed.v1) {
    // Every candidate is compared, so the time taken does not tell which one matched.
    if (timingSafeEqual(expected, Buffer.from(given, "hex"))) match = true;
  }
  if (!match) return fail("mismatch", "signature does not match the body and the signing secret");
  return { ok: true, timestamp: parsed.t };
}
