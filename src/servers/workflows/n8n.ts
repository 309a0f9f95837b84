/** The two conversations with n8n: its public REST API (list, read) and a workflow's webhook. */
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import type { WebhookTarget } from "./webhook.ts";

export interface N8nWorkflow {
  id: string;
  name: string;
  active: boolean;
  tags?: { name?: string }[];
  nodes?: { type?: unknown; disabled?: unknown; parameters?: Record<string, unknown> }[];
}

export interface N8nClient {
  baseUrl: string;
  apiKey: string | undefined;
  timeoutMs: number;
  fetch: typeof fetch;
}

const MAX_PAGES = 20;

async function call(client: N8nClient, url: string, init: RequestInit): Promise<Response> {
  try {
    return await client.fetch(url, { ...init, signal: AbortSignal.timeout(client.timeoutMs) });
  } catch (error) {
    throw new SophiaError(
      "BUILTIN_FAILED",
      `workflows: n8n did not answer at ${url}: ${errorMessage(error)}`,
      {
        hint: "check options.url and that n8n is running",
        cause: error,
      },
    );
  }
}

async function api<T>(client: N8nClient, path: string): Promise<T> {
  if (client.apiKey === undefined)
    throw new SophiaError("BUILTIN_REFUSED", "workflows: n8n's API needs options.apiKey", {
      hint: "create an API key in n8n (Settings → n8n API) and set it, or name workflows under options.webhooks",
    });
  const url = `${client.baseUrl.replace(/\/+$/, "")}/api/v1${path}`;
  const response = await call(client, url, {
    headers: { "x-n8n-api-key": client.apiKey, accept: "application/json" },
  });
  if (!response.ok) {
    const hint =
      response.status === 401 ? "the API key was refused: check options.apiKey" : "see n8n's logs";
    throw new SophiaError(
      "BUILTIN_FAILED",
      `workflows: n8n answered ${response.status} to GET ${path}`,
      { hint },
    );
  }
  return (await response.json()) as T;
}

export async function listWorkflows(
  client: N8nClient,
  activeOnly: boolean,
): Promise<N8nWorkflow[]> {
  const all: N8nWorkflow[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: "250" });
    if (activeOnly) query.set("active", "true");
    if (cursor !== undefined) query.set("cursor", cursor);
    const body = await api<{ data: N8nWorkflow[]; nextCursor?: string | null }>(
      client,
      `/workflows?${query}`,
    );
    all.push(...body.data);
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
  }
  return all;
}

export function getWorkflow(client: N8nClient, id: string): Promise<N8nWorkflow> {
  return api<N8nWorkflow>(client, `/workflows/${encodeURIComponent(id)}`);
}

/** Calls the webhook with `input` (JSON body, or query string for GET) and returns n8n's answer. */
export async function runWebhook(
  client: N8nClient,
  target: WebhookTarget,
  input: Record<string, unknown>,
): Promise<{ status: number; body: unknown }> {
  const get = target.method === "GET";
  const url = new URL(target.url);
  if (get)
    for (const [k, v] of Object.entries(input))
      url.searchParams.set(k, typeof v === "string" ? v : JSON.stringify(v));
  const response = await call(client, url.toString(), {
    method: target.method,
    headers: get
      ? { accept: "application/json" }
      : { "content-type": "application/json", accept: "application/json" },
    ...(get ? {} : { body: JSON.stringify(input) }),
  });
  const text = await response.text();
  const body = /json/.test(response.headers.get("content-type") ?? "") ? safeJson(text) : text;
  if (!response.ok)
    throw new SophiaError(
      "BUILTIN_FAILED",
      `workflows: the webhook answered ${response.status}: ${text.slice(0, 500)}`,
      {
        hint:
          response.status === 404
            ? "the workflow must be active for its production webhook to answer"
            : "see the execution in n8n",
      },
    );
  return { status: response.status, body };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
