import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import type {
  HttpServerConfig,
  StdioServerConfig,
  UpstreamCommon,
} from "../../src/config/types.ts";
import type { CallContext, CallOutcome, Upstream } from "../../src/gateway/upstream/types.ts";
import type { Logger } from "../../src/shared/logger.ts";

export const FIXTURES = fileURLToPath(new URL("../fixtures/upstreams/", import.meta.url));

const COMMON: UpstreamCommon = {
  prefix: "fx",
  enabled: true,
  timeoutMs: 10_000,
  maxConcurrency: 64,
  connectTimeoutMs: 15_000,
};

export function stdioConfig(overrides: Partial<StdioServerConfig> = {}): StdioServerConfig {
  return {
    ...COMMON,
    transport: "stdio",
    command: process.execPath,
    args: [`${FIXTURES}stdio-server.ts`],
    env: {},
    cwd: undefined,
    pool: 1,
    ...overrides,
  };
}

export function httpConfig(
  url: string,
  overrides: Partial<HttpServerConfig> = {},
): HttpServerConfig {
  return {
    ...COMMON,
    transport: "streamable-http",
    url,
    headers: {},
    connections: 16,
    ...overrides,
  };
}

/** A logger that keeps its lines in memory, for asserting on what was logged. */
export function memoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line !== "") lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, sink), lines };
}

/** The HTTP fixture in a child process (its crash tool exits the process). */
export class HttpFixture {
  readonly port: number;
  readonly child: ChildProcess;

  private constructor(port: number, child: ChildProcess) {
    this.port = port;
    this.child = child;
  }

  static async start(options: { port?: number; json?: boolean } = {}): Promise<HttpFixture> {
    const args = [`${FIXTURES}http-server.ts`, "--port", String(options.port ?? 0)];
    if (options.json === true) args.push("--json");
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    const port = await new Promise<number>((resolve, reject) => {
      let seen = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /listening (\d+)/.exec(seen);
        if (match?.[1] !== undefined) resolve(Number(match[1]));
      });
      child.once("exit", (code) =>
        reject(new Error(`HTTP fixture exited with code ${code} before listening`)),
      );
      setTimeout(
        () => reject(new Error("HTTP fixture did not listen within 15 s")),
        15_000,
      ).unref();
    });
    return new HttpFixture(port, child);
  }

  url(path: "/mcp" | "/sse"): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGKILL");
    await once(this.child, "exit");
  }

  /** Resolves when the process has exited on its own (the crash tool). */
  async exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await once(this.child, "exit");
  }
}

/** Starts `upstream` and makes sure the test stops it, also when the test fails midway. */
export async function startFor(
  t: { after(fn: () => Promise<void>): void },
  upstream: Upstream,
): Promise<void> {
  t.after(() => upstream.stop(500));
  await upstream.start();
}

export async function callTool(
  upstream: Upstream,
  name: string,
  args: Record<string, unknown> = {},
  context?: CallContext,
  meta?: Record<string, unknown>,
): Promise<CallOutcome> {
  const params: Record<string, unknown> = { name, arguments: args };
  if (meta !== undefined) params._meta = meta;
  return upstream.request("tools/call", params, context);
}

/** The text of a tool result's first content item; throws on a JSON-RPC error. */
export function textOf(outcome: CallOutcome): string {
  if ("error" in outcome)
    throw new Error(`JSON-RPC error ${outcome.error.code}: ${outcome.error.message}`);
  const content = outcome.result.content as Array<{ type: string; text?: string }> | undefined;
  return content?.[0]?.text ?? "";
}

/** Polls `check` every 25 ms until it holds or `ms` passes. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  ms = 5000,
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not met within ${ms} ms`);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
