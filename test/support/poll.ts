import { setTimeout as sleep } from "node:timers/promises";

/**
 * Calls `probe` until it returns something other than `undefined`, at most
 * `timeoutMs` long. Fails naming `what` and the last value seen, so a test that
 * waits in vain says what it was waiting for.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 10_000, everyMs = 25 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let round = 0; round < 100_000; round++) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(everyMs);
  }
  const seen = last instanceof Error ? last.message : String(last);
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${seen})`);
}

/** True while a process with this pid exists (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

export interface ReadyReport {
  status: number;
  body: {
    ready: boolean;
    draining: boolean;
    upstreams: Record<string, { state: string; inFlight: number; error?: string }>;
  };
}

/** GET /readyz of a gateway at `base` (no trailing `/mcp`). */
export async function readyz(base: string): Promise<ReadyReport> {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as ReadyReport["body"] };
}

/** The text of a tool result's first content item ("" when there is none). */
export function textOf(result: object): string {
  const content = "content" in result ? result.content : undefined;
  const first = (content as Array<{ type: string; text?: string }> | undefined)?.[0];
  return first?.type === "text" ? (first.text ?? "") : "";
}
