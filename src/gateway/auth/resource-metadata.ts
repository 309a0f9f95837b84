/** OAuth 2.0 Protected Resource Metadata (RFC 9728) for the gateway's MCP endpoints. */

export const METADATA_PATH = "/.well-known/oauth-protected-resource";

export interface ResourceMetadataOptions {
  authorizationServers: readonly string[];
  scopesSupported: readonly string[];
}

/** The resource path a metadata path describes ("" for the root form), or undefined if none. */
export function describedPath(path: string): string | undefined {
  if (path === METADATA_PATH) return "";
  if (!path.startsWith(`${METADATA_PATH}/`)) return undefined;
  const suffix = path.slice(METADATA_PATH.length);
  return suffix === "/mcp" || /^\/servers\/[^/]+\/mcp$/.test(suffix) ? suffix : undefined;
}

/** The metadata URL a 401 points to for a request on `path`. */
export function metadataUrl(base: string, path: string): string {
  const mcp = path === "/mcp" || /^\/servers\/[^/]+\/mcp$/.test(path);
  return `${base}${METADATA_PATH}${mcp ? path : ""}`;
}

export function metadataDocument(
  base: string,
  suffix: string,
  options: ResourceMetadataOptions,
): Record<string, unknown> {
  return {
    resource: `${base}${suffix}`,
    authorization_servers: options.authorizationServers,
    ...(options.scopesSupported.length > 0 ? { scopes_supported: options.scopesSupported } : {}),
    // Tokens only in the Authorization header: never in query strings or bodies.
    bearer_methods_supported: ["header"],
    resource_name: "Sophia MCP gateway",
  };
}

/** `WWW-Authenticate` for a refusal; parameters quoted per RFC 6750 (quotes and backslashes escaped). */
export function challenge(params: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) parts.push(`${name}="${value.replace(/["\\]/g, "\\$&")}"`);
  }
  return parts.length > 0 ? `Bearer ${parts.join(", ")}` : "Bearer";
}
