import { hash } from "node:crypto";
import type { Principal } from "../auth/principal.ts";
import { canonicalJson } from "./canonical-json.ts";

/**
 * The cache key of a call: server, tool, the arguments in canonical form and
 * — unless the tool's results are configured as shared — who is asking
 * (method, subject, roles, scopes), so one caller never sees another's results.
 */
export function cacheKey(
  server: string,
  tool: string,
  args: unknown,
  principal: Principal | undefined,
): string {
  const who =
    principal === undefined
      ? null
      : [
          principal.method,
          principal.subject,
          [...principal.roles].sort(),
          [...principal.scopes].sort(),
        ];
  // The one-shot hash: no Hash object per call.
  return hash("sha256", canonicalJson([server, tool, args ?? {}, who]), "base64url");
}
