/**
 * A thin Weaviate REST client. weaviate-client v3 sends batch writes and
 * queries over gRPC, which an HTTP fake cannot stand in for and which needs a
 * second port open; the REST API covers everything this sink does.
 */
import { Agent, request } from "undici";

export interface RestAnswer {
  status: number;
  body: unknown;
}

export interface WeaviateRest {
  call(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<RestAnswer>;
  close(): Promise<void>;
}

export function createWeaviateRest(
  url: string,
  apiKey: string | undefined,
  timeoutMs: number,
): WeaviateRest {
  const dispatcher = new Agent({ connections: 4, keepAliveTimeout: 30_000 });
  const base = url.replace(/\/+$/, "");
  return {
    async call(method, path, body) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
      const response = await request(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await response.body.text();
      return {
        status: response.statusCode,
        body: text === "" ? undefined : (JSON.parse(text) as unknown),
      };
    },
    close: () => dispatcher.close(),
  };
}

/** Throws with Weaviate's own message unless the status is one of `ok`. */
export function expectStatus(answer: RestAnswer, what: string, ok: number[] = [200]): void {
  if (ok.includes(answer.status)) return;
  throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
}
