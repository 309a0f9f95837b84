/** One POST /embeddings and what it means: vectors, or a failure that is or is not worth retrying. */
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import { isRetryableStatus, parseRetryAfter } from "./retry.ts";

export interface EmbeddingCall {
  endpoint: string;
  /** The endpoint as it may appear in messages. */
  shown: string;
  model: string;
  /** Header value, if any; kept out of every message. */
  authorization: string | undefined;
  input: string[];
  timeoutMs: number;
  signal: AbortSignal | undefined;
  fetch: typeof fetch;
}

export type CallOutcome =
  | { ok: true; vectors: number[][] }
  | { ok: false; retryable: boolean; reason: string; hint?: string; retryAfterMs?: number };

export async function postEmbeddings(call: EmbeddingCall): Promise<CallOutcome> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal === undefined ? timeout : AbortSignal.any([call.signal, timeout]);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (call.authorization !== undefined) headers.authorization = call.authorization;
  let response: Response;
  try {
    response = await call.fetch(call.endpoint, {
      method: "POST",
      headers,
      body: JSON.stringify({ model: call.model, input: call.input }),
      signal,
    });
  } catch (error) {
    if (call.signal?.aborted) throw call.signal.reason;
    const reason = timeout.aborted
      ? `no answer within ${call.timeoutMs} ms`
      : `network error: ${errorMessage(error)}`;
    return { ok: false, retryable: true, reason };
  }
  if (!response.ok) return failedStatus(response, call);
  return parseAnswer(await response.text(), call);
}

async function failedStatus(response: Response, call: EmbeddingCall): Promise<CallOutcome> {
  const body = redact((await response.text().catch(() => "")).slice(0, 300), call.authorization);
  const reason = `HTTP ${response.status}${body === "" ? "" : `: ${body}`}`;
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
  const outcome: CallOutcome = { ok: false, retryable: isRetryableStatus(response.status), reason };
  if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
  if (response.status === 401 || response.status === 403)
    outcome.hint = "the endpoint refused the API key: check provider.apiKey";
  else if (response.status === 404)
    outcome.hint = "check provider.url (it should end before /embeddings) and the model";
  return outcome;
}

function parseAnswer(text: string, call: EmbeddingCall): CallOutcome {
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown }).data;
  } catch {
    return { ok: false, retryable: true, reason: "the answer is not JSON" };
  }
  if (!Array.isArray(data) || data.length !== call.input.length)
    throw new SophiaError(
      "FLOW_EMBED_FAILED",
      `embedding endpoint ${call.shown} answered ${Array.isArray(data) ? data.length : "no"} vectors for ${call.input.length} texts`,
      { hint: "the endpoint does not speak the OpenAI embeddings API; check provider.url" },
    );
  // OpenAI returns `index` per item; order by it when present.
  const items = (data as { index?: number; embedding?: unknown }[])
    .map((item, position) => ({ at: item.index ?? position, embedding: item.embedding }))
    .sort((a, b) => a.at - b.at);
  const vectors = items.map((item) => item.embedding);
  if (!vectors.every((v) => Array.isArray(v) && v.every((x) => typeof x === "number")))
    throw new SophiaError(
      "FLOW_EMBED_FAILED",
      `embedding endpoint ${call.shown} answered embeddings that are not number arrays`,
      {
        hint: "base64 encoding is not supported; the endpoint must return float arrays",
      },
    );
  return { ok: true, vectors: vectors as number[][] };
}

/** An endpoint may echo the credential in an error body; it never reaches our message. */
function redact(text: string, authorization: string | undefined): string {
  const secret = authorization?.replace(/^(Bearer|Basic) /, "");
  return secret === undefined || secret === "" ? text : text.split(secret).join("[redacted]");
}
