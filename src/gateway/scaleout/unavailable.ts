import { INTERNAL_ERROR } from "../jsonrpc/codes.ts";
import type { JsonRpcErrorObject } from "../jsonrpc/messages.ts";

/** Headers of a 503 for a shared-store outage: sessions come back as soon as Redis does. */
export const RETRY_SOON = { "retry-after": "1" };

/** The wire error when shared sessions need Redis and it does not answer. */
export function storeUnavailable(what: string): JsonRpcErrorObject {
  return {
    code: INTERNAL_ERROR,
    message:
      `Service unavailable: ${what} while the shared session store (Redis) is unreachable; ` +
      "retry shortly, or use protocol revision 2026-07-28, which needs no session",
  };
}
