import type { IncomingHttpHeaders } from "node:http";
import type { PeerCertificate } from "node:tls";
import {
  type ApiKeyRecord,
  keyProblemAt,
  looksLikeApiKey,
  parseApiKey,
  secretMatchesDigest,
} from "./api-key.ts";
import type { JwtVerifier } from "./jwt.ts";
import type { KeyStore } from "./key-store.ts";
import type { Principal } from "./principal.ts";

/** What a request presents: its headers and, over mTLS, a certificate the TLS layer verified. */
export interface Credentials {
  headers: IncomingHttpHeaders;
  /** Only set when the TLS handshake verified the certificate against the configured CA. */
  peerCertificate: PeerCertificate | undefined;
}

export type AuthFailure = {
  ok: false;
  /** invalid_token when a credential was presented and refused; none when nothing was presented. */
  error: "invalid_token" | "invalid_request" | undefined;
  reason: string;
};
export type Authenticated = { ok: true; principal: Principal };
export type AuthResult = Authenticated | AuthFailure;

export interface AuthMethods {
  keys: KeyStore | undefined;
  jwt: JwtVerifier | undefined;
  mtls: boolean;
}

/**
 * Turns credentials into a principal. A bearer token (or X-API-Key) decides
 * alone when present: an `sk_sophia_` key is looked up in the key store,
 * anything else is verified as a JWT. Without one, a verified client
 * certificate identifies the caller.
 */
export async function authenticate(methods: AuthMethods, creds: Credentials): Promise<AuthResult> {
  const token = presentedToken(creds.headers);
  if (token !== undefined && "error" in token) return { ok: false, ...token };
  if (token !== undefined) {
    if (looksLikeApiKey(token.value)) return checkApiKey(methods.keys, token.value);
    if (methods.jwt) {
      const result = await methods.jwt.verify(token.value);
      return result.ok ? result : fail("invalid_token", result.reason);
    }
    return fail("invalid_token", "the bearer token is not an API key of this gateway");
  }
  if (methods.mtls && creds.peerCertificate)
    return { ok: true, principal: fromCertificate(creds.peerCertificate) };
  return fail(undefined, "authentication is required: send Authorization: Bearer <key or token>");
}

function fail(error: AuthFailure["error"], reason: string): AuthFailure {
  return { ok: false, error, reason };
}

function presentedToken(
  headers: IncomingHttpHeaders,
): { value: string } | { error: "invalid_request"; reason: string } | undefined {
  const authorization = headers.authorization;
  const apiKey = headers["x-api-key"];
  if (authorization !== undefined) {
    const match = /^Bearer +([^\s]+) *$/i.exec(authorization);
    if (!match)
      return {
        error: "invalid_request",
        reason: "the Authorization header must be 'Bearer <token>'",
      };
    return { value: match[1]! };
  }
  if (typeof apiKey === "string" && apiKey !== "") return { value: apiKey.trim() };
  return undefined;
}

async function checkApiKey(keys: KeyStore | undefined, text: string): Promise<AuthResult> {
  if (!keys) return fail("invalid_token", "API keys are not enabled on this gateway");
  const parsed = parseApiKey(text);
  if (!parsed) return fail("invalid_token", "the API key is malformed");
  const record = await keys.get(parsed.id);
  const known = record && knownKey(record);
  // Same answer for an unknown id and a wrong secret: nothing to learn about which ids exist.
  if (!record || !known || !secretVerified(known, parsed.secret))
    return fail("invalid_token", "the API key is not valid");
  const problem = keyProblemAt(record, known.expiresAt);
  if (problem) return fail("invalid_token", problem);
  return { ok: true, principal: known.principal };
}

interface KnownKey {
  hash: Buffer;
  principal: Principal;
  /** The record's expiry, parsed (NaN for a malformed date never expires, as Date.parse gives). */
  expiresAt: number | undefined;
  /** The last secret presented for this key that matched its hash. */
  verified: string | undefined;
}

/**
 * Whether `secret` is the key's secret. The SHA-256 runs once per key record:
 * a secret that matched is remembered on it and later requests compare
 * against it in constant time. The record (and with it what was remembered)
 * is replaced whenever the key file changes, so a revoke or a new file
 * forgets it. Expiry and revocation are still checked on every request.
 */
function secretVerified(known: KnownKey, secret: string): boolean {
  if (known.verified !== undefined) return sameText(known.verified, secret);
  if (!secretMatchesDigest(secret, known.hash)) return false;
  known.verified = secret;
  return true;
}

/** Constant-time for strings of one length (secrets are: parseApiKey checks their shape). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * The decoded stored hash and the principal, once per key record: the store
 * hands out the same record object until its source changes, and one
 * principal object per key lets the policy cache its decisions by identity.
 */
const knownKeys = new WeakMap<ApiKeyRecord, KnownKey>();

function knownKey(record: ApiKeyRecord): KnownKey {
  let known = knownKeys.get(record);
  if (!known) {
    const principal: Principal = Object.freeze({
      subject: record.name,
      method: "api-key",
      keyId: record.id,
      roles: Object.freeze([...record.roles]),
      scopes: Object.freeze([...record.scopes]),
    });
    const expiresAt = record.expires === undefined ? undefined : Date.parse(record.expires);
    known = { hash: Buffer.from(record.hash, "hex"), principal, expiresAt, verified: undefined };
    knownKeys.set(record, known);
  }
  return known;
}

/** Subject from the certificate's CN, else its first SAN; SANs kept as claims for policies. */
export function fromCertificate(cert: PeerCertificate): Principal {
  const cn = typeof cert.subject?.CN === "string" ? cert.subject.CN : undefined;
  const sans = (cert.subjectaltname ?? "")
    .split(",")
    .map((s) => s.trim().replace(/^[A-Za-z ]+:/, ""))
    .filter((s) => s !== "");
  return {
    subject: cn ?? sans[0] ?? cert.fingerprint256,
    method: "mtls",
    roles: [],
    scopes: [],
    claims: { san: sans, fingerprint256: cert.fingerprint256 },
  };
}
