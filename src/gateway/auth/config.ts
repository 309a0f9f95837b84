/** The gateway's `auth` and `tls` sections, validated here with file:line:col errors. */
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { parseDuration, type SophiaConfig, validateSection } from "../../config/index.ts";
import type { JwtOptions } from "./jwt.ts";

/** Where API keys live: a JSON file (one gateway) or PostgreSQL (several replicas). */
export type KeyStoreConfig =
  | { kind: "file"; path: string }
  | { kind: "postgres"; url: string; schema: string; cacheTtlMs: number };

export interface AuthConfig {
  /** The API key file, when API keys are on and kept in a file. */
  keyFile: string | undefined;
  keyStore: KeyStoreConfig | undefined;
  jwt: JwtOptions | undefined;
  /** Canonical URL of the gateway for RFC 9728; taken from the request's Host when not set. */
  resource: string | undefined;
  authorizationServers: string[];
  scopesSupported: string[];
  /** Scopes every caller needs on the MCP and REST endpoints (else 403 insufficient_scope). */
  requiredScopes: string[];
  /** Paths served without authentication (of /metrics, /openapi.json). */
  publicPaths: string[];
}

export interface TlsConfig {
  cert: string;
  key: string;
  ca: string | undefined;
  requireClientCert: boolean;
}

const text = z.string().trim().min(1);
const list = z.union([text, z.array(text)]).transform((v) => (Array.isArray(v) ? v : [v]));
const ms = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const out = parseDuration(v);
  if (out === undefined)
    ctx.addIssue({ code: "custom", message: 'expected a duration like "30s"' });
  return out ?? 0;
});

const jwtShape = {
  issuer: z.url(),
  audience: list,
  jwksUri: z.url().optional(),
  algorithms: z.array(z.enum(ALGS())).min(1).default(["RS256", "ES256"]),
  clockSkew: ms.default(30_000),
  subjectClaim: text.default("sub"),
  scopeClaims: list.default(["scope", "scp"]),
  roleClaims: list.default(["roles"]),
};

const authShape = {
  apiKeys: z
    .union([
      z.boolean(),
      z.strictObject({ file: text }),
      z.strictObject({
        postgres: text,
        schema: text.default("public"),
        cacheTtl: ms.default(5000),
      }),
    ])
    .optional(),
  jwt: z.strictObject(jwtShape).optional(),
  resource: z.url().optional(),
  authorizationServers: z.array(z.url()).optional(),
  scopesSupported: z.array(text).default([]),
  requiredScopes: z.array(text).default([]),
  public: z.array(z.enum(["/metrics", "/openapi.json"])).default([]),
};

const tlsShape = {
  cert: text,
  key: text,
  ca: text.optional(),
  requireClientCert: z.boolean().default(false),
};

/** Asymmetric algorithms only: "none" and shared-secret HS* make no sense against a JWKS. */
function ALGS() {
  return [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
  ] as const;
}

export const DEFAULT_KEY_FILE = ".sophia/keys.json";

/** Undefined when `gateway.auth` is absent: authentication off, every caller anonymous. */
export function readAuth(config: SophiaConfig): AuthConfig | undefined {
  if (config.gateway.auth === undefined) return undefined;
  const schema = z.strictObject(authShape);
  const v = validateSection(
    config,
    ["gateway", "auth"],
    config.gateway.auth,
    schema,
    Object.keys(authShape),
  );
  const keyStore = keyStoreOf(config, v.apiKeys);
  const keyFile = keyStore?.kind === "file" ? keyStore.path : undefined;
  const jwt: JwtOptions | undefined = v.jwt && {
    issuer: v.jwt.issuer,
    audience: v.jwt.audience,
    jwksUri: v.jwt.jwksUri,
    algorithms: v.jwt.algorithms,
    clockSkewMs: v.jwt.clockSkew,
    subjectClaim: v.jwt.subjectClaim,
    scopeClaims: v.jwt.scopeClaims,
    roleClaims: v.jwt.roleClaims,
  };
  return {
    keyFile,
    keyStore,
    jwt,
    resource: v.resource,
    authorizationServers: v.authorizationServers ?? (jwt ? [jwt.issuer] : []),
    scopesSupported: v.scopesSupported,
    requiredScopes: v.requiredScopes,
    publicPaths: v.public,
  };
}

function keyStoreOf(
  config: SophiaConfig,
  apiKeys:
    | boolean
    | { file: string }
    | { postgres: string; schema: string; cacheTtl: number }
    | undefined,
): KeyStoreConfig | undefined {
  if (apiKeys === undefined || apiKeys === false) return undefined;
  if (apiKeys === true) return { kind: "file", path: fromConfigDir(config, DEFAULT_KEY_FILE) };
  if ("file" in apiKeys) return { kind: "file", path: fromConfigDir(config, apiKeys.file) };
  return {
    kind: "postgres",
    url: apiKeys.postgres,
    schema: apiKeys.schema,
    cacheTtlMs: apiKeys.cacheTtl,
  };
}

export function readTls(config: SophiaConfig): TlsConfig | undefined {
  if (config.gateway.tls === undefined) return undefined;
  const schema = z.strictObject(tlsShape);
  const v = validateSection(
    config,
    ["gateway", "tls"],
    config.gateway.tls,
    schema,
    Object.keys(tlsShape),
  );
  return {
    cert: fromConfigDir(config, v.cert),
    key: fromConfigDir(config, v.key),
    ca: v.ca === undefined ? undefined : fromConfigDir(config, v.ca),
    requireClientCert: v.requireClientCert,
  };
}

/** Relative paths are relative to the configuration file, like a compose file's. */
export function fromConfigDir(config: SophiaConfig, path: string): string {
  if (isAbsolute(path)) return path;
  return config.file ? resolve(config.file, "..", path) : resolve(path);
}
