import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { startGateway } from "../../support/gateway-harness.ts";

export const REDIS_URL = process.env.SOPHIA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const SECRET = randomBytes(32).toString("hex");
export const LEGACY = "2025-06-18";
export const MODERN = "2026-07-28";

export type Started = Awaited<ReturnType<typeof startGateway>>;

/** A unique key prefix per test run, so parallel runs and leftovers never meet. */
export function uniquePrefix(): string {
  return `sophia-test-scaleout-${randomBytes(4).toString("hex")}:`;
}

/** Starts a gateway sharing sessions through `redis` under `prefix`. */
export function startShared(
  servers: Record<string, unknown>,
  prefix: string,
  redis = REDIS_URL,
): Promise<Started> {
  return startGateway(servers, { sessions: { store: "redis", secret: SECRET, redis, prefix } });
}

export interface Reply {
  status: number;
  sessionId: string | null;
  /** Every JSON-RPC message of the body: one for JSON, any number for an SSE stream. */
  messages: Array<Record<string, unknown>>;
}

/** One POST as a client that alternates instances would send it (no SDK: it sticks to one URL). */
export async function post(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: "2.0", ...body }),
  });
  const text = await res.text();
  const isStream = (res.headers.get("content-type") ?? "").includes("text/event-stream");
  const bodies = isStream
    ? text
        .split("\n")
        .filter((line) => line.startsWith("data:") && line.length > 6)
        .map((line) => line.slice(5).trim())
    : text === ""
      ? []
      : [text];
  return {
    status: res.status,
    sessionId: res.headers.get("mcp-session-id"),
    messages: bodies.map((b) => JSON.parse(b) as Record<string, unknown>),
  };
}

/** The final response among a reply's messages. */
export function responseOf(reply: Reply): Record<string, unknown> {
  const found = reply.messages.find((m) => "result" in m || "error" in m);
  if (!found) throw new Error(`no response in ${JSON.stringify(reply)}`);
  return found;
}

/** Deletes every key under the prefix (also after a failure). */
export async function dropKeys(prefix: string, url = REDIS_URL): Promise<number> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(keys);
    return keys.length;
  } finally {
    await client.close();
  }
}

export async function keyExists(key: string, url = REDIS_URL): Promise<boolean> {
  const client = createClient({ url });
  await client.connect();
  try {
    return (await client.exists(key)) === 1;
  } finally {
    await client.close();
  }
}
