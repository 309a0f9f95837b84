/**
 * The targets under test. Each starts as fresh processes on 127.0.0.1 with a free port,
 * is ready only once a real initialize + echo call works through it, and is stopped after
 * its cells. `pid` is the process whose RSS and CPU are reported (the gateway itself).
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitForEcho, waitForStatus } from "./probe.ts";
import { freePort, type Managed, startProcess, stopProcess } from "./procs.ts";
import { prodGateway } from "./prod.ts";

export const TARGET_NAMES = [
  "direct",
  "sophia-stdio",
  "sophia-http",
  "sophia-prod",
  "supergateway",
  "mcp-proxy",
] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface Context {
  /** Repository root. */
  root: string;
  /** Node 24 (node_modules/.bin/node, resolved). */
  node: string;
  /** Scratch folder for configs and logs, removed at the end. */
  tmp: string;
  /** Tag on every echo server's command line, naming this run's processes. */
  runTag: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C or SIGTERM: no further cells start and no results are written. */
  stopped: AbortSignal;
}

export interface Running {
  name: string;
  url: string;
  tool: string;
  pid: number;
  processes: Managed[];
  /** Sent with every request (the API key of sophia-prod). */
  headers?: Record<string, string>;
}

const READY_TIMEOUT_MS = 30_000;

export function echoServerPath(ctx: Context): string {
  return join(ctx.root, "bench/gateway/echo-server.ts");
}

export function stdioEchoArgs(ctx: Context): string[] {
  return [echoServerPath(ctx), "--stdio", `--bench-run=${ctx.runTag}`];
}

function start(ctx: Context, name: string, command: string, args: string[]): Managed {
  return startProcess(name, command, args, {
    cwd: ctx.root,
    env: ctx.env,
    logFile: join(ctx.tmp, `${name}.log`),
  });
}

/** Starts the echo server's own SDK streamable HTTP server; ready once echo works. */
export async function startEchoHttp(
  ctx: Context,
  name: string,
): Promise<{ managed: Managed; url: string }> {
  const port = await freePort();
  const args = [
    echoServerPath(ctx),
    "--http",
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    `--bench-run=${ctx.runTag}`,
  ];
  const managed = start(ctx, name, ctx.node, args);
  const url = `http://127.0.0.1:${port}/mcp`;
  await waitForEcho(managed, url, "echo", READY_TIMEOUT_MS).catch(async (error: unknown) => {
    await stopProcess(managed);
    throw error;
  });
  return { managed, url };
}

/** Starts `sophia gateway` with a client-style mcpServers file; ready on /healthz, then echo. */
export async function startSophia(
  ctx: Context,
  name: string,
  servers: Record<string, unknown>,
  tool: string,
  readyTimeoutMs = READY_TIMEOUT_MS,
  /** A `gateway` section (sophia.yaml form) and the headers every request then needs. */
  prod?: { gateway: Record<string, unknown>; headers: Record<string, string> },
): Promise<{ managed: Managed; url: string; port: number }> {
  const main = join(ctx.root, "src/cli/main.ts");
  if (!existsSync(main)) throw new Error("src/cli/main.ts does not exist yet");
  const config = join(ctx.tmp, `${name}.json`);
  const content = prod ? { gateway: prod.gateway, servers } : { mcpServers: servers };
  writeFileSync(config, JSON.stringify(content, null, 2));
  const port = await freePort();
  const args = [main, "gateway", "--config", config, "--host", "127.0.0.1", "--port", String(port)];
  const managed = start(ctx, name, ctx.node, args);
  const url = `http://127.0.0.1:${port}/mcp`;
  try {
    await waitForStatus(managed, `http://127.0.0.1:${port}/healthz`, 200, readyTimeoutMs);
    await waitForEcho(managed, url, tool, readyTimeoutMs, prod?.headers);
  } catch (error) {
    await stopProcess(managed);
    throw error;
  }
  return { managed, url, port };
}

async function startBridge(
  ctx: Context,
  name: TargetName,
  args: string[],
  url: string,
): Promise<Running> {
  const managed = start(ctx, name, ctx.node, args);
  await waitForEcho(managed, url, "echo", READY_TIMEOUT_MS).catch(async (error: unknown) => {
    await stopProcess(managed);
    throw error;
  });
  return { name, url, tool: "echo", pid: managed.pid, processes: [managed] };
}

function quote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

export async function startTarget(ctx: Context, name: TargetName): Promise<Running> {
  const stdioEcho = { command: ctx.node, args: stdioEchoArgs(ctx) };
  switch (name) {
    case "direct": {
      const { managed, url } = await startEchoHttp(ctx, name);
      return { name, url, tool: "echo", pid: managed.pid, processes: [managed] };
    }
    case "sophia-stdio": {
      const { managed, url } = await startSophia(ctx, name, { echo: stdioEcho }, "echo__echo");
      return { name, url, tool: "echo__echo", pid: managed.pid, processes: [managed] };
    }
    case "sophia-http": {
      const upstream = await startEchoHttp(ctx, "sophia-http-upstream");
      try {
        const { managed, url } = await startSophia(
          ctx,
          name,
          { echo: { url: upstream.url } },
          "echo__echo",
        );
        return {
          name,
          url,
          tool: "echo__echo",
          pid: managed.pid,
          processes: [managed, upstream.managed],
        };
      } catch (error) {
        await stopProcess(upstream.managed);
        throw error;
      }
    }
    case "sophia-prod": {
      const prod = await prodGateway(ctx.tmp);
      const { managed, url } = await startSophia(
        ctx,
        name,
        { echo: stdioEcho },
        "echo__echo",
        READY_TIMEOUT_MS,
        prod,
      );
      const running = { name, url, tool: "echo__echo", pid: managed.pid, processes: [managed] };
      return { ...running, headers: prod.headers };
    }
    case "supergateway": {
      const port = await freePort();
      // supergateway has no host option: it listens on every interface.
      const stdio = [ctx.node, ...stdioEchoArgs(ctx)].map(quote).join(" ");
      const bin = join(ctx.root, "node_modules/supergateway/dist/index.js");
      const args = [bin, "--stdio", stdio, "--outputTransport", "streamableHttp", "--stateful"];
      args.push("--port", String(port), "--logLevel", "none");
      return startBridge(ctx, name, args, `http://127.0.0.1:${port}/mcp`);
    }
    case "mcp-proxy": {
      const port = await freePort();
      const bin = join(ctx.root, "node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs");
      const args = [bin, "--host", "127.0.0.1", "--port", String(port), "--server", "stream"];
      args.push("--", ctx.node, ...stdioEchoArgs(ctx));
      return startBridge(ctx, name, args, `http://127.0.0.1:${port}/mcp`);
    }
  }
}

export async function stopTarget(running: Running): Promise<void> {
  for (const managed of running.processes) await stopProcess(managed);
}
