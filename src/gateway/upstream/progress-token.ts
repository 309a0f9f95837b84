import type { JsonRpcNotification, Params } from "../jsonrpc/messages.ts";

export type ProgressToken = string | number;

/** The progress token a caller put in `params._meta`, if any. */
export function callerProgressToken(params: Params | undefined): ProgressToken | undefined {
  const meta = params?._meta;
  if (typeof meta !== "object" || meta === null) return undefined;
  const token = (meta as Record<string, unknown>).progressToken;
  return typeof token === "string" || typeof token === "number" ? token : undefined;
}

/**
 * Params with the caller's progress token replaced by ours. Two clients may
 * pick the same token; on a shared upstream connection only a token we mint
 * tells their progress apart. The caller's params are not mutated.
 */
export function withProgressToken(params: Params, token: ProgressToken): Params {
  const meta = params._meta as Record<string, unknown>;
  return { ...params, _meta: { ...meta, progressToken: token } };
}

/** The progress notification as the caller must see it: with its own token back. */
export function restoreProgressToken(
  notification: JsonRpcNotification,
  callerToken: ProgressToken,
): JsonRpcNotification {
  return {
    jsonrpc: "2.0",
    method: notification.method,
    params: { ...notification.params, progressToken: callerToken },
  };
}
