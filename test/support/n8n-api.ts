/**
 * n8n's HTTP APIs as the tests use them: the owner is set up headless
 * (`POST /rest/owner/setup`, whose session cookie then serves the internal
 * `/rest/...` API), and an API key made with that session reads executions
 * through the public REST API (`/api/v1/...`).
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

/** One n8n execution as the public API returns it with `includeData=true`. */
export interface N8nExecution {
  id: string;
  workflowId: string;
  status: string;
  finished: boolean;
  mode: string;
  // biome-ignore lint/suspicious/noExplicitAny: n8n's run data is deeply nested and node specific
  data?: any;
}

/** What the tests read through the public API (n8n enforces an API key's scopes). */
const API_KEY_SCOPES = ["workflow:read", "workflow:list", "execution:read", "execution:list"];

export class N8nApi {
  readonly url: string;
  apiKey = "";
  /** The owner's session cookie, for n8n's internal REST API (/rest/...). */
  cookie = "";

  constructor(url: string) {
    this.url = url;
  }

  /** Sets up the owner (keeping its session cookie) and makes an API key. */
  async setUp(): Promise<void> {
    const owner = {
      email: "owner@sophia.test",
      firstName: "Sophia",
      lastName: "Tests",
      password: `Pw1-${randomBytes(12).toString("hex")}`,
    };
    const setup = await fetch(`${this.url}/rest/owner/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(owner),
    });
    if (!setup.ok) throw new Error(`n8n owner setup: ${setup.status} ${await setup.text()}`);
    this.cookie = (setup.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const created = await this.rest<{ rawApiKey?: string }>("/api-keys", {
      label: "sophia-tests",
      expiresAt: null,
      scopes: API_KEY_SCOPES,
    });
    if (!created.rawApiKey) throw new Error(`n8n made an API key without rawApiKey`);
    this.apiKey = created.rawApiKey;
  }

  /** POST on n8n's internal REST API as the owner; returns the answer's `data`. */
  async rest<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.url}/rest${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: this.cookie },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`n8n POST /rest${path}: ${response.status} ${text}`);
    return (JSON.parse(text) as { data: T }).data;
  }

  /** GET on n8n's public REST API (/api/v1/...). */
  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.url}/api/v1${path}`, {
      headers: { "x-n8n-api-key": this.apiKey, accept: "application/json" },
    });
    if (!response.ok) {
      throw new Error(`n8n GET /api/v1${path}: ${response.status} ${await response.text()}`);
    }
    return (await response.json()) as T;
  }

  /** Executions of one workflow, newest first, with their run data. */
  async executions(workflowId: string): Promise<N8nExecution[]> {
    const page = await this.get<{ data: N8nExecution[] }>(
      `/executions?workflowId=${encodeURIComponent(workflowId)}&includeData=true&limit=50`,
    );
    return page.data;
  }

  /**
   * Waits until a workflow has `count` finished (not running/waiting) executions;
   * returns them newest first. Stops early when `hopeless` names a reason.
   */
  async finishedExecutions(
    workflowId: string,
    count: number,
    timeoutMs = 30_000,
    hopeless: () => string | undefined = () => undefined,
  ): Promise<N8nExecution[]> {
    const deadline = Date.now() + timeoutMs;
    let seen: N8nExecution[] = [];
    for (let round = 0; round < 10_000; round++) {
      const reason = hopeless();
      if (reason !== undefined) {
        throw new Error(`gave up waiting for execution ${count} of ${workflowId}: ${reason}`);
      }
      seen = (await this.executions(workflowId)).filter(
        (e) => !["running", "new", "waiting"].includes(e.status),
      );
      if (seen.length >= count) return seen;
      if (Date.now() >= deadline) break;
      await sleep(200);
    }
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for ${count} finished execution(s) of workflow ${workflowId} (saw ${seen.length})`,
    );
  }
}

/** The output items (json) of one node in an execution's run data. */
export function nodeOutput(execution: N8nExecution, node: string): Record<string, unknown>[] {
  const runs = execution.data?.resultData?.runData?.[node];
  if (!Array.isArray(runs) || runs.length === 0) return [];
  const main = runs[runs.length - 1]?.data?.main?.[0] ?? [];
  return (main as Array<{ json: Record<string, unknown> }>).map((item) => item.json);
}

/** The error message of an execution, if it failed. */
export function executionError(execution: N8nExecution): string | undefined {
  const error = execution.data?.resultData?.error;
  return error ? String(error.message ?? JSON.stringify(error)) : undefined;
}
