import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { ROOT, stdioEntry } from "../../support/gateway-harness.ts";
import { LEGACY, post, responseOf, type Started, startShared, uniquePrefix } from "./support.ts";

const FIXTURE = `${ROOT}/test/fixtures/upstreams/stdio-server.ts`;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** A Redis of the test's own (never the machine's): no persistence, so a restart loses every key. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await until(() => output.includes("Ready to accept connections"), "redis-server to start");
  return child;
}

async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill("SIGKILL");
  await once(child, "exit");
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const INIT = {
  id: 1,
  method: "initialize",
  params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: "t", version: "1" } },
};

describe("shared sessions while the shared Redis is down, and after it returns", () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let c: Started;
  let d: Started;
  const servers = { fx: stdioEntry(FIXTURE) };

  before(async () => {
    port = await freePort();
    redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const prefix = uniquePrefix();
    c = await startShared(servers, prefix, url);
    d = await startShared(servers, prefix, url);
  });
  after(async () => {
    await Promise.all([c?.stop(), d?.stop()]);
    await stopRedis(redis);
  });

  test("held sessions keep working, new ones get 503, unknown ones 503, forged ones 404; then recovery", async () => {
    const opened = await post(`${c.url}/mcp`, INIT);
    assert.equal(opened.status, 200);
    const id = opened.sessionId ?? "";
    const ping = (on: Started, session = id) =>
      post(`${on.url}/mcp`, { id: 2, method: "ping" }, { "mcp-session-id": session });

    await stopRedis(redis);
    await until(async () => (await post(`${c.url}/mcp`, INIT)).status === 503, "C to notice");

    assert.equal((await ping(c)).status, 200, "C serves the session it holds from memory");
    const unheld = await ping(d);
    assert.equal(unheld.status, 503, "D never held it and cannot load it");
    assert.match(
      String((responseOf(unheld).error as { message: string }).message),
      /cannot be loaded/,
    );
    const refused = await post(`${c.url}/mcp`, INIT);
    assert.equal(refused.status, 503);
    assert.match(
      String((responseOf(refused).error as { message: string }).message),
      /shared session store \(Redis\) is unreachable.*2026-07-28/,
    );
    assert.equal(refused.sessionId, null);
    const deleting = await fetch(`${c.url}/mcp`, {
      method: "DELETE",
      headers: { "mcp-session-id": id },
    });
    assert.equal(deleting.status, 503, "DELETE cannot end it everywhere, so nothing is ended");
    assert.equal(deleting.headers.get("retry-after"), "1");
    assert.equal((await ping(c)).status, 200);
    const forged = `${id.slice(0, -3)}${id.endsWith("AAA") ? "BBB" : "AAA"}`;
    assert.equal((await ping(d, forged)).status, 404, "a forged id needs no Redis to be refused");

    redis = await startRedis(port);
    await until(async () => (await post(`${c.url}/mcp`, INIT)).status === 200, "C to recover");
    // This Redis kept nothing: the session is gone everywhere, and C's copy is dropped.
    assert.equal((await ping(c)).status, 404);
    assert.equal(c.gateway.sessions.get(id), undefined);
  });
});
