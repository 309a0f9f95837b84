/** Who is calling: every request to an MCP or REST endpoint carries one. */
export type AuthMethod = "anonymous" | "api-key" | "jwt" | "mtls";

export interface Principal {
  /** Stable id of the caller: key name, token `sub`, certificate CN, or "anonymous". */
  readonly subject: string;
  readonly method: AuthMethod;
  /** The API key's id, when the caller used one. */
  readonly keyId?: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  /** The verified token's claims (JWT) or certificate fields (mTLS). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** The caller when authentication is off (the default: a loopback-only gateway) and on stdio. */
export const ANONYMOUS: Principal = Object.freeze({
  subject: "anonymous",
  method: "anonymous",
  roles: Object.freeze([]) as readonly string[],
  scopes: Object.freeze([]) as readonly string[],
});

/** Whether two principals are the same caller (a session stays with the caller that opened it). */
export function sameCaller(a: Principal, b: Principal): boolean {
  return a === b || (a.method === b.method && a.subject === b.subject);
}

/** A short, log-safe description: never a secret, never a token. */
export function describePrincipal(principal: Principal): string {
  return principal.keyId !== undefined
    ? `${principal.method}:${principal.subject} (key ${principal.keyId})`
    : `${principal.method}:${principal.subject}`;
}
