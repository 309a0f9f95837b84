import { createHash } from "node:crypto";
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
  return createHash("sha256")
    .update(canonicalJson([server, tool, args ?? {}, who]))
    .digest("base64url");
}
