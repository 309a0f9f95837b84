import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import type { Principal } from "./principal.ts";

export interface JwtOptions {
  issuer: string;
  audience: string[];
  /** Taken from the issuer's /.well-known/openid-configuration when not given. */
  jwksUri: string | undefined;
  algorithms: string[];
  clockSkewMs: number;
  subjectClaim: string;
  /** Claims read for scopes, in order: a space-separated string or an array. */
  scopeClaims: string[];
  roleClaims: string[];
}

export type JwtResult = { ok: true; principal: Principal } | { ok: false; reason: string };

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/** Verifies bearer JWTs against an OIDC issuer's published keys. */
export class JwtVerifier {
  readonly #options: JwtOptions;
  #keys: Promise<KeySet> | undefined;

  constructor(options: JwtOptions) {
    this.#options = options;
  }

  async verify(token: string): Promise<JwtResult> {
    const o = this.#options;
    let payload: JWTPayload;
    try {
      const keys = await this.#keySet();
      ({ payload } = await jwtVerify(token, keys, {
        issuer: o.issuer,
        audience: o.audience,
        algorithms: o.algorithms,
        clockTolerance: Math.round(o.clockSkewMs / 1000),
        requiredClaims: ["exp"],
      }));
    } catch (error) {
      return { ok: false, reason: describe(error) };
    }
    const subject = payload[o.subjectClaim];
    if (typeof subject !== "string" || subject === "")
      return { ok: false, reason: `the token has no "${o.subjectClaim}" claim` };
    return {
      ok: true,
      principal: {
        subject,
        method: "jwt",
        scopes: claimValues(payload, o.scopeClaims),
        roles: claimValues(payload, o.roleClaims),
        claims: payload,
      },
    };
  }

  #keySet(): Promise<KeySet> {
    this.#keys ??= this.#discover().then(
      (uri) => createRemoteJWKSet(new URL(uri), { timeoutDuration: 5000 }),
      (error: unknown) => {
        this.#keys = undefined; // try discovery again on the next token
        throw error;
      },
    );
    return this.#keys;
  }

  async #discover(): Promise<string> {
    if (this.#options.jwksUri) return this.#options.jwksUri;
    const url = `${this.#options.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    const document = response.ok ? ((await response.json()) as { jwks_uri?: unknown }) : {};
    if (typeof document.jwks_uri !== "string")
      throw new Error(`the issuer's ${url} gave no jwks_uri (HTTP ${response.status})`);
    return document.jwks_uri;
  }
}

/** Values of the first present claim: "a b c" strings split on spaces, arrays of strings kept. */
export function claimValues(payload: Record<string, unknown>, claims: readonly string[]): string[] {
  const out: string[] = [];
  for (const claim of claims) {
    const value = claimAt(payload, claim);
    if (typeof value === "string") out.push(...value.split(" ").filter((s) => s !== ""));
    else if (Array.isArray(value)) out.push(...value.filter((v) => typeof v === "string"));
  }
  return [...new Set(out)];
}

/** `realm_access.roles` reaches into nested claims (Keycloak puts roles there). */
function claimAt(payload: Record<string, unknown>, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A reason fit for a log line and the WWW-Authenticate description (never the token). */
function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return "the token has expired";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      return `the token's "${(error as { claim?: string }).claim}" claim is not accepted`;
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "the token's signature does not verify";
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "the token's signing algorithm is not allowed";
    case "ERR_JWKS_NO_MATCHING_KEY":
      return "no key of the issuer matches the token";
    default:
      return code?.startsWith("ERR_J")
        ? "the token is malformed"
        : "the token cannot be checked now";
  }
}
