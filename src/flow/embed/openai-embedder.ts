/**
 * Embeddings from an OpenAI-compatible endpoint (OpenAI, vLLM, Ollama's /v1,
 * LiteLLM…): POST {url}/embeddings, batched, concurrency-limited, retried on
 * 429/5xx/network errors with backoff that honours Retry-After.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { SophiaError } from "../../shared/errors.ts";
import type { Embedder } from "./embedder.ts";
import { type EmbeddingCall, postEmbeddings } from "./openai-call.ts";
import { type BackoffOptions, backoffDelay } from "./retry.ts";
import { createSemaphore } from "./semaphore.ts";

export interface OpenAiEmbedderOptions {
  /** Base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1. */
  url: string;
  model: string;
  /** Sent as a Bearer token; never logged or put in an error. */
  apiKey?: string | undefined;
  /** Expected vector length; checked on every answer. */
  dimensions?: number | undefined;
  batchSize: number;
  concurrency: number;
  /** Further attempts after the first failure. */
  maxRetries: number;
  timeoutMs: number;
  backoff?: BackoffOptions;
  fetch?: typeof fetch;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const { endpoint, basicAuth } = splitCredentials(`${options.url.replace(/\/+$/, "")}/embeddings`);
  const shown = endpoint;
  const limit = createSemaphore(options.concurrency);
  let dimensions = options.dimensions;
  const call: Omit<EmbeddingCall, "input" | "signal"> = {
    endpoint,
    shown,
    model: options.model,
    authorization: options.apiKey ? `Bearer ${options.apiKey}` : basicAuth,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch ?? fetch,
  };

  async function batchWithRetries(input: string[], signal?: AbortSignal): Promise<number[][]> {
    const backoff = options.backoff ?? DEFAULT_BACKOFF;
    for (let attempt = 0; ; attempt++) {
      const outcome = await postEmbeddings({ ...call, input, signal });
      if (outcome.ok) return checkDimensions(outcome.vectors);
      if (!outcome.retryable || attempt >= options.maxRetries)
        throw new SophiaError(
          "FLOW_EMBED_FAILED",
          `embedding endpoint ${shown} failed${attempt > 0 ? ` after ${attempt + 1} attempts` : ""}: ${outcome.reason}`,
          {
            hint:
              outcome.hint ??
              "check that the endpoint is up and the model name is right; the batch will be retried",
          },
        );
      const wait = Math.min(backoff.maxMs, outcome.retryAfterMs ?? backoffDelay(attempt, backoff));
      await sleep(wait, undefined, signal === undefined ? undefined : { signal });
    }
  }

  function checkDimensions(vectors: number[][]): number[][] {
    for (const vector of vectors) {
      dimensions ??= vector.length;
      if (vector.length !== dimensions)
        throw new SophiaError(
          "FLOW_EMBED_FAILED",
          `embedding endpoint ${shown} returned a vector of ${vector.length} dimensions for model ${options.model}, expected ${dimensions}`,
          {
            hint:
              options.dimensions === undefined
                ? "the model answered with vectors of different lengths; check the endpoint"
                : "set provider.dimensions to the model's vector length (a vector column must be recreated to change it)",
          },
        );
    }
    return vectors;
  }

  return {
    name: `openai-compatible:${options.model}`,
    get dimensions() {
      return dimensions;
    },
    async embed(texts, signal) {
      const batches: string[][] = [];
      for (let i = 0; i < texts.length; i += options.batchSize)
        batches.push(texts.slice(i, i + options.batchSize));
      const results = await Promise.all(
        batches.map((batch) => limit(() => batchWithRetries(batch, signal))),
      );
      return results.flat();
    },
  };
}

/**
 * fetch refuses URLs with user:password@, and they must not reach messages:
 * they become a Basic Authorization header (used when there is no apiKey).
 */
export function splitCredentials(url: string): { endpoint: string; basicAuth: string | undefined } {
  const parsed = new URL(url);
  if (parsed.username === "" && parsed.password === "")
    return { endpoint: url, basicAuth: undefined };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = "";
  parsed.password = "";
  const basicAuth = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  return { endpoint: parsed.toString(), basicAuth };
}
