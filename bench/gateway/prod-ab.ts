/**
 * `node bench/gateway/prod-ab.ts [--concurrency 16] [--calls 20000] [--rounds 6]`
 *
 * What the production path adds per call, end to end, measured so that other load on
 * the machine cancels out: two gateways run in THIS process (the core path and
 * sophia-prod's gateway section, each with its own stdio echo upstream), and the same
 * client (undici, also in this process) drives them in alternating rounds. This
 * process's CPU time per call is gateway + client; the client's share is the same for
 * both, so the difference is the production path's own cost (µs per call).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { parseConfigText } from "../../src/config/index.ts";
import { Gateway } from "../../src/gateway/index.ts";
import { silentLogger } from "../../src/shared/logger.ts";
import { callTool, closeSession, type McpSession, openSession } from "./mcp-http.ts";
import { prodGateway } from "./prod.ts";

const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "16" },
    calls: { type: "string", default: "20000" },
    rounds: { type: "string", default: "6" },
  },
});
const concurrency = Number(values.concurrency);
const calls = Number(values.calls);
const rounds = Number(values.rounds);
const TIMEOUT_MS = 30_000;

const root = resolve(import.meta.dirname, "../..");
const echo = {
  command: join(root, "node_modules/.bin/node"),
  args: [join(root, "bench/gateway/echo-server.ts"), "--stdio"],
};

interface Target {
  name: string;
  gateway: Gateway;
  url: URL;
  headers: Record<string, string> | undefined;
}

async function start(
  name: string,
  section: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<Target> {
  const text = JSON.stringify({
    gateway: { ...section, listen: "127.0.0.1:0" },
    servers: { echo },
  });
  const config = parseConfigText(text, { file: join(tmpdir(), "prod-ab.json"), env: {} });
  const gateway = new Gateway({ config, logger: silentLogger() });
  const url = new URL(await gateway.listen());
  await gateway.startUpstreams();
  return { name, gateway, url, headers };
}

/** CPU µs of this process per successful call, for `calls` calls over C sessions. */
async function round(target: Target): Promise<number> {
  const pool = new Pool(target.url.origin, { connections: concurrency });
  const sessions: McpSession[] = [];
  for (let i = 0; i < concurrency; i++)
    sessions.push(await openSession(pool, "/mcp", TIMEOUT_MS, target.headers));
  let left = calls;
  let ok = 0;
  const worker = async (session: McpSession, index: number) => {
    for (let n = 0; left > 0; n++) {
      left--;
      const text = `s${index}-${n}`;
      const answer = await callTool(pool, session, "echo__echo", { text }, TIMEOUT_MS);
      const result = answer.result as { content?: Array<{ text?: unknown }> } | undefined;
      if (result?.content?.[0]?.text === text) ok++;
    }
  };
  const before = process.cpuUsage();
  await Promise.all(sessions.map(worker));
  const used = process.cpuUsage(before);
  for (const session of sessions) await closeSession(pool, session, TIMEOUT_MS);
  await pool.close();
  if (ok !== calls) throw new Error(`${target.name}: ${calls - ok} of ${calls} calls failed`);
  return (used.user + used.system) / calls;
}

function summary(list: number[]): string {
  const sorted = [...list].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return `median ${median.toFixed(1)}, range ${sorted[0]?.toFixed(1)}–${sorted.at(-1)?.toFixed(1)}`;
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "sophia-prod-ab-"));
  const prod = await prodGateway(tmp);
  const targets = [
    await start("core", {}),
    await start("prod", prod.gateway, prod.headers),
  ] as const;
  try {
    for (const target of targets) await round(target); // warm-up
    const results = { core: [] as number[], prod: [] as number[], extra: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so a drift in machine load falls on both.
      const order = r % 2 === 0 ? targets : ([targets[1], targets[0]] as const);
      const got: Record<string, number> = {};
      for (const target of order) got[target.name] = await round(target);
      const core = got.core ?? Number.NaN;
      const prodUs = got.prod ?? Number.NaN;
      results.core.push(core);
      results.prod.push(prodUs);
      results.extra.push(prodUs - core);
      console.log(
        `round ${r + 1}: core ${core.toFixed(1)} µs/call, prod ${prodUs.toFixed(1)} µs/call, extra ${(prodUs - core).toFixed(1)} µs`,
      );
    }
    console.log(
      `\nprocess CPU per call (gateway + client), C=${concurrency}, ${calls} calls a round:`,
    );
    console.log(`  core  ${summary(results.core)}`);
    console.log(`  prod  ${summary(results.prod)}`);
    console.log(`  extra ${summary(results.extra)}`);
  } finally {
    for (const target of targets) await target.gateway.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
