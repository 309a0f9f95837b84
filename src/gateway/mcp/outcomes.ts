import { errorMessage, isSophiaError } from "../../shared/errors.ts";
import {
  INTERNAL_ERROR,
  REQUEST_CANCELLED,
  UPSTREAM_OVERLOADED,
  UPSTREAM_TIMEOUT,
  UPSTREAM_UNAVAILABLE,
} from "../jsonrpc/codes.ts";
import type { JsonRpcErrorObject, JsonRpcId, JsonRpcResponse } from "../jsonrpc/messages.ts";
import type { CallOutcome } from "../upstream/types.ts";

export function failure(code: number, message: string, data?: unknown): CallOutcome {
  return { error: data === undefined ? { code, message } : { code, message, data } };
}

/** Maps a thrown local error to the JSON-RPC error a client receives. */
export function errorToWire(error: unknown): JsonRpcErrorObject {
  if (isSophiaError(error)) {
    const code =
      error.code === "UPSTREAM_TIMEOUT"
        ? UPSTREAM_TIMEOUT
        : error.code === "UPSTREAM_OVERLOADED"
          ? UPSTREAM_OVERLOADED
          : error.code === "UPSTREAM_UNAVAILABLE" || error.code === "UPSTREAM_PROTOCOL"
            ? UPSTREAM_UNAVAILABLE
            : INTERNAL_ERROR;
    return { code, message: error.message, data: { code: error.code } };
  }
  if (error instanceof Error && error.name === "AbortError")
    return { code: REQUEST_CANCELLED, message: "request cancelled" };
  return { code: INTERNAL_ERROR, message: errorMessage(error) };
}

/**
 * A tool that failed to run is reported as a tool result with `isError`, so
 * the model sees why and the client keeps its session (clients drop sessions
 * on transport-level failures).
 */
export function toolErrorResult(error: unknown): CallOutcome {
  const wire = errorToWire(error);
  return {
    result: {
      content: [{ type: "text", text: wire.message }],
      isError: true,
      _meta: {
        "io.sophia/error": (wire.data as { code?: string } | undefined)?.code ?? "INTERNAL",
      },
    },
  };
}

export function toResponse(id: JsonRpcId, outcome: CallOutcome): JsonRpcResponse {
  return "result" in outcome
    ? { jsonrpc: "2.0", id, result: outcome.result }
    : { jsonrpc: "2.0", id, error: outcome.error };
}
