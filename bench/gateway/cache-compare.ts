/**
 * Cached vs uncached read-only calls through `sophia gateway` with the result
 * cache on: C sessions call `lookup` back-to-back for D seconds, first with
 * one key (every call after the first is a cache hit), then with a new key
 * per call (every call a miss that waits for the upstream's LOOKUP_DELAY_MS).
 *
 *   npx node bench/gateway/cache-compare.ts [--concurrency 1,16] [--duration 5] [--delay-ms 5]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { callTool, openSession } from "./mcp-http.ts";
import { waitForStatus } from "./probe.ts";
import { freePort, startProcess, stopProcess } from "./procs.ts";
import { environment, writeResults } from "./results.ts";
import { createLatencyRecorder, percentile } from "./stats.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "1,16" },
    duration: { type: "string", default: "5" },
    "delay-ms": { type: "string", default: "5" },
    out: { type: "string", default: join(ROOT, "bench/results") },
  },
});
const levels = values.concurrency.split(",").map(Number);
const durationMs = Number(values.duration) * 1000;
const delayMs = Number(values["delay-ms"]);

interface Row {
  mode: "cached" | "uncached";
  concurrency: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(url: URL, mode: Row["mode"], concurrency: number): Promise<Row> {
  const pool = new Pool(url.origin, { connections: concurrency });
  const sessions = await Promise.all(
    Array.from({ length: concurrency }, () => openSession(pool, url.pathname, 10_000)),
  );
  const latency = createLatencyRecorder();
  let errors = 0;
  let n = 0;
  const end = performance.now() + durationMs;
  await Promise.all(
    sessions.map(async (session, s) => {
      while (performance.now() < end) {
        const key = mode === "cached" ? "hot" : `k${s}-${n++}`;
        const started = performance.now();
        const response = await callTool(pool, session, "db__lookup", { key }, 10_000);
        const result = response.result as { content?: Array<{ text?: string }> } | undefined;
        if (result?.content?.[0]?.text === `value of ${key}`)
          latency.add(performance.now() - started);
        else errors++;
      }
    }),
  );
  await pool.destroy();
  const { samples } = latency.sorted();
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    mode,
    concurrency,
    reqPerSec: Math.round(samples.length / (durationMs / 1000)),
    p50: round(percentile(samples, 50)),
    p99: round(percentile(samples, 99)),
    errors,
  };
}

const tmp = mkdtempSync(join(tmpdir(), "sophia-cache-bench-"));
const node = process.execPath;
const config = join(tmp, "sophia.json");
writeFileSync(
  config,
  JSON.stringify({
    gateway: { cache: { rules: [{ servers: "db", tools: "lookup", ttl: "10m" }] } },
    servers: {
      db: {
        command: node,
        args: [join(ROOT, "bench/gateway/lookup-server.ts")],
        env: { LOOKUP_DELAY_MS: String(delayMs) },
      },
    },
  }),
);
const port = await freePort();
const args = [join(ROOT, "src/cli/main.ts"), "gateway", "--config", config, "--port", String(port)];
const gateway = startProcess("sophia-cache", node, args, {
  cwd: ROOT,
  env: process.env,
  logFile: join(tmp, "gateway.log"),
});
try {
  await waitForStatus(gateway, `http://127.0.0.1:${port}/readyz`, 200, 30_000);
  const url = new URL(`http://127.0.0.1:${port}/mcp`);
  const rows: Row[] = [];
  for (const concurrency of levels) {
    for (const mode of ["uncached", "cached"] as const)
      rows.push(await measure(url, mode, concurrency));
  }
  console.log(`lookup waits ${delayMs} ms upstream; ${durationMs / 1000} s per row\n`);
  console.log("mode      C   req/s    p50 ms  p99 ms  errors  speed-up");
  for (const row of rows) {
    const base = rows.find((r) => r.mode === "uncached" && r.concurrency === row.concurrency);
    const speedUp = base ? (row.reqPerSec / base.reqPerSec).toFixed(1) : "";
    console.log(
      `${row.mode.padEnd(9)} ${String(row.concurrency).padStart(2)}  ${String(row.reqPerSec).padStart(6)}  ${String(row.p50).padStart(7)}  ${String(row.p99).padStart(6)}  ${String(row.errors).padStart(6)}  ${speedUp}x`,
    );
  }
  const file = writeResults(values.out, "gateway-cache", {
    delayMs,
    durationMs,
    rows,
    environment: environment(ROOT),
  });
  console.log(`\nresults: ${file}`);
} finally {
  await stopProcess(gateway);
  rmSync(tmp, { recursive: true, force: true });
}
