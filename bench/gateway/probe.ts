/** Bounded readiness checks: an HTTP status poll and a real MCP round trip. */
import { Pool, request } from "undici";
import { callTool, closeSession, openSession } from "./mcp-http.ts";
import { logTail, type Managed } from "./procs.ts";

const POLL_MS = 200;

/** The line of a crash log that says what went wrong, rather than where. */
function summaryLine(log: string): string {
  const lines = log.split("\n").filter((line) => line.trim() !== "" && !/^\s+at /.test(line));
  return lines.find((line) => /error/i.test(line))?.trim() ?? lines.at(-1)?.trim() ?? "no output";
}

function exited(managed: Managed): Error | undefined {
  if (managed.exit === undefined) return undefined;
  const { code, signal } = managed.exit;
  const log = logTail(managed, 60);
  const head = `${managed.name} exited (code ${code}, signal ${signal}): ${summaryLine(log)}`;
  return new Error(`${head}\n${log.split("\n").slice(-15).join("\n")}`);
}

/** Polls `url` until it answers `status`, the process exits, or `timeoutMs` passes. */
export async function waitForStatus(
  managed: Managed,
  url: string,
  status: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    const dead = exited(managed);
    if (dead !== undefined) throw dead;
    try {
      const response = await request(url, { headersTimeout: 2_000, bodyTimeout: 2_000 });
      const text = await response.body.text();
      if (response.statusCode === status) return;
      last = `HTTP ${response.statusCode} ${text.slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

async function roundTrip(url: URL, tool: string, headers?: Record<string, string>): Promise<void> {
  const pool = new Pool(url.origin, { connections: 1 });
  try {
    const session = await openSession(pool, url.pathname, 5_000, headers);
    const response = await callTool(pool, session, tool, { text: "probe" }, 5_000);
    const result = response.result as { content?: Array<{ text?: unknown }> } | undefined;
    if (result?.content?.[0]?.text !== "probe") {
      throw new Error(`${tool} answered ${JSON.stringify(response).slice(0, 300)}`);
    }
    await closeSession(pool, session, 5_000);
  } finally {
    await pool.destroy();
  }
}

/** Retries initialize + one echo call until it works: the target is then really ready. */
export async function waitForEcho(
  managed: Managed,
  url: string,
  tool: string,
  timeoutMs: number,
  headers?: Record<string, string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no attempt";
  while (Date.now() < deadline) {
    const dead = exited(managed);
    if (dead !== undefined) throw dead;
    try {
      await roundTrip(new URL(url), tool, headers);
      return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`no working ${tool} call at ${url} within ${timeoutMs} ms (last: ${last})`);
}
