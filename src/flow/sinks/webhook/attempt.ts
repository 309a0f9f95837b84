/** One POST of a webhook body through undici: the status, or the network error. */
import type { Dispatcher } from "undici";
import { request } from "undici";
import type { WebhookRequestBody } from "./batching.ts";
import type { AttemptResult } from "./retry-policy.ts";
import { SIGNATURE_HEADER, sign } from "./signature.ts";

export interface AttemptTarget {
  url: string;
  secret: string;
  flow: string;
  headers: Record<string, string>;
  timeoutMs: number;
  dispatcher: Dispatcher;
}

export interface AttemptAnswer {
  result: AttemptResult;
  /** Start of the response body, for the dead-letter reason. */
  excerpt: string;
}

export async function postOnce(
  target: AttemptTarget,
  payload: WebhookRequestBody,
  signal: AbortSignal,
): Promise<AttemptAnswer> {
  const { body } = payload;
  const headers = {
    ...target.headers,
    "content-type": "application/json",
    [SIGNATURE_HEADER]: sign(target.secret, body, Math.floor(Date.now() / 1000)),
    "idempotency-key": payload.idempotencyKey,
    "x-sophia-flow": target.flow,
  };
  try {
    const response = await request(target.url, {
      method: "POST",
      headers,
      body,
      dispatcher: target.dispatcher,
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
      signal,
    });
    const text = await response.body.text();
    const retryAfter = response.headers["retry-after"];
    return {
      result: {
        kind: "status",
        status: response.statusCode,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      },
      excerpt: text.slice(0, 200),
    };
  } catch (error) {
    if (signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { result: { kind: "network", message }, excerpt: "" };
  }
}
