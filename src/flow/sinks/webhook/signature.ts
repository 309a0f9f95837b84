/**
 * Request signing: `x-sophia-signature: t=<unix seconds>,v1=<hex HMAC-SHA256
 * of "<t>.<body>">`. Receivers recompute the HMAC over the raw body with the
 * shared secret, compare in constant time and reject old timestamps.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-sophia-signature";

/** `body` as the exact bytes sent (a string is taken as UTF-8): no copy of "<t>.<body>" is made. */
export function sign(secret: string, body: string | Buffer, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.`).update(body).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

export interface VerifyOptions {
  /** Oldest accepted timestamp, in seconds before `nowSeconds` (default 300). */
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/** True when `header` is a valid signature of `body` under `secret`, made recently. */
export function verify(
  secret: string,
  body: string,
  header: string,
  options: VerifyOptions = {},
): boolean {
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const given = parts.get("v1");
  if (!Number.isInteger(t) || given === undefined || !/^[0-9a-f]{64}$/.test(given)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = sign(secret, body, t).slice(`t=${t},v1=`.length);
  return timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given, "hex"));
}
