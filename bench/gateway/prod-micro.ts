/**
 * `node bench/gateway/prod-micro.ts [--calls 200000] [--rounds 5]`
 *
 * The production path's own per-call work in one process, without HTTP or an upstream:
 * API key authentication of a request's headers, then the call pipeline built from
 * sophia-prod's gateway section (audit → policy → limits) around an upstream that answers
 * at once. Reports CPU nanoseconds per call (process CPU time, so other load on the
 * machine disturbs it far less than wall time), each part alone and all together.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Registry } from "prom-client";
import { parseConfigText } from "../../src/config/index.ts";
import { authenticate } from "../../src/gateway/auth/authenticator.ts";
import { KeyFile } from "../../src/gateway/auth/key-store.ts";
import { buildSecurity } from "../../src/gateway/auth/security.ts";
import { Catalog } from "../../src/gateway/catalog/catalog.ts";
import { type CallInfo, CallPipeline } from "../../src/gateway/mcp/call-pipeline.ts";
import { readPolicies } from "../../src/gateway/policy/config.ts";
import { policyInterceptor } from "../../src/gateway/policy/interceptor.ts";
import type { CallOutcome } from "../../src/gateway/upstream/types.ts";
import { silentLogger } from "../../src/shared/logger.ts";
import { prodGateway } from "./prod.ts";

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "200000" },
    rounds: { type: "string", default: "5" },
  },
});
const calls = Number(values.calls);
const rounds = Number(values.rounds);

async function cpuNsPerCall(run: (i: number) => Promise<unknown>, batch = 64): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i += batch) {
    const pending: Promise<unknown>[] = [];
    for (let j = 0; j < batch; j++) pending.push(run(i + j));
    await Promise.all(pending);
  }
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / calls;
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "sophia-prod-micro-"));
  const prod = await prodGateway(tmp);
  const config = parseConfigText(JSON.stringify({ gateway: prod.gateway, servers: {} }), {
    file: join(tmp, "sophia.json"),
    env: {},
  });
  const catalog = new Catalog({ separator: "__", logger: silentLogger() });
  const security = buildSecurity(config, catalog, silentLogger(), new Registry());
  const keyFile = (prod.gateway.auth as { apiKeys: { file: string } }).apiKeys.file;
  const keys = new KeyFile(keyFile);
  const methods = { keys, jwt: undefined, mtls: false };
  const headers = { ...prod.headers, "content-type": "application/json" };
  const first = await authenticate(methods, { headers, peerCertificate: undefined });
  if (!first.ok) throw new Error(`prod-micro: the bench key was refused: ${first.reason}`);
  const principal = first.principal;
  const answer: CallOutcome = { result: { content: [{ type: "text", text: "x" }] } };
  const last = () => Promise.resolve(answer);
  const call = (i: number): CallInfo => ({
    principal,
    server: "echo",
    kind: "tool",
    name: "echo",
    exposedName: "echo__echo",
    arguments: { text: `s1-${i}` },
    params: { name: "echo", arguments: { text: `s1-${i}` } },
    annotations: undefined,
    context: { signal: new AbortController().signal, onNotification() {}, onServerRequest: last },
  });
  const parts: Record<string, (i: number) => Promise<unknown>> = {
    baseline: (i) => last().then(() => call(i)),
    auth: (i) =>
      authenticate(methods, { headers: { ...headers, n: String(i) }, peerCertificate: undefined }),
    pipeline: (i) => security.pipeline.run(call(i), last),
  };
  const policies = readPolicies(config);
  const alone: Record<string, CallPipeline> = {
    audit: new CallPipeline({ interceptors: security.traffic.before }),
    policy: new CallPipeline({ interceptors: policies ? [policyInterceptor(policies)] : [] }),
    limits: new CallPipeline({ interceptors: security.traffic.after }),
  };
  for (const [name, pipeline] of Object.entries(alone))
    parts[name] = (i) => pipeline.run(call(i), last);
  const results: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++)
    for (const [name, run] of Object.entries(parts)) {
      const list = results[name] ?? [];
      list.push(await cpuNsPerCall(run));
      results[name] = list;
    }
  for (const [name, list] of Object.entries(results)) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(
      `${name.padEnd(9)} ns/call: median ${Math.round(sorted[Math.floor(sorted.length / 2)]!)}, range ${Math.round(sorted[0]!)}–${Math.round(sorted.at(-1)!)}`,
    );
  }
  await security.traffic.close();
  await keys.close();
  rmSync(tmp, { recursive: true, force: true });
}

await main();
