import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  connectClient,
  ROOT,
  startGateway,
  stdioEntry,
  withGateway,
} from "../support/gateway-harness.ts";
import { alive, readyz, textOf, until } from "../support/poll.ts";

const FIXTURE = join(ROOT, "test/fixtures/upstreams/stdio-server.ts");

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  return { isError: result.isError === true, text: textOf(result) };
}

async function pidOf(client: Client, server = "fx"): Promise<number> {
  const { isError, text } = await call(client, `${server}__whoami`);
  assert.equal(isError, false, text);
  return Number(text);
}

async function stats(client: Client): Promise<{ cancelled: number; calls: number }> {
  const { isError, text } = await call(client, "fx__stats");
  assert.equal(isError, false, text);
  return JSON.parse(text);
}

describe("gateway faults, real stdio upstreams and the SDK client", () => {
  test("an upstream that crashes mid-call: tool error, restart, same session works again", async () => {
    await withGateway({ fx: stdioEntry(FIXTURE) }, async (gw, client) => {
      const before = await pidOf(client);
      const crashed = await call(client, "fx__crash");
      assert.equal(crashed.isError, true);
      assert.match(crashed.text, /\bfx\b/);
      assert.match(crashed.text, /exited/);
      assert.match(crashed.text, /in flight/);

      // The restart waits 100–200 ms of backoff plus a process start, so it is seen down first.
      const down = await readyz(gw.url);
      assert.equal(down.status, 503);
      assert.ok(
        ["restarting", "down"].includes(down.body.upstreams.fx?.state ?? ""),
        JSON.stringify(down.body),
      );
      await until("fx ready again in /readyz", async () => {
        const report = await readyz(gw.url);
        return report.status === 200 && report.body.upstreams.fx?.state === "ready"
          ? report
          : undefined;
      });

      const after = await until(
        "a successful call on the same session",
        async () => {
          const result = await call(client, "fx__whoami");
          return result.isError ? undefined : Number(result.text);
        },
        { everyMs: 100 },
      );
      assert.notEqual(after, before, "a new process answers");
      assert.equal(alive(before), false, "the crashed process is gone");
    });
  });

  test("an upstream that hangs past its timeout: tool error naming it, upstream told to cancel", async () => {
    await withGateway({ fx: { ...stdioEntry(FIXTURE), timeout: "300ms" } }, async (_gw, client) => {
      assert.equal((await stats(client)).cancelled, 0);
      const started = performance.now();
      const result = await call(client, "fx__slow", { ms: 10_000 });
      const elapsed = performance.now() - started;
      assert.equal(result.isError, true);
      assert.match(result.text, /\bfx\b/);
      assert.match(result.text, /within 300 ms/);
      assert.ok(elapsed >= 290 && elapsed < 5000, `answered after ${Math.round(elapsed)} ms`);
      // notifications/cancelled aborts the fixture's sleep, which counts it.
      await until("the upstream to count one cancellation", async () =>
        (await stats(client)).cancelled === 1 ? true : undefined,
      );
    });
  });

  test("an upstream that writes garbage to stdout: the gateway survives, later calls work", async () => {
    await withGateway({ fx: stdioEntry(FIXTURE) }, async (gw, client) => {
      const before = await pidOf(client);
      const garbage = await call(client, "fx__garbage");
      if (garbage.isError) assert.match(garbage.text, /\bfx\b/);
      else assert.equal(garbage.text, "wrote garbage");
      const echoed = await until(
        "an echo after the garbage",
        async () => {
          const result = await call(client, "fx__echo", { text: "still here" });
          return result.isError ? undefined : result.text;
        },
        { everyMs: 100 },
      );
      assert.equal(echoed, "still here");
      assert.equal((await fetch(`${gw.url}/healthz`)).status, 200);
      // Stray lines are logged and skipped (the transport calls them recoverable), not a restart.
      assert.equal(await pidOf(client), before);
      assert.equal((await readyz(gw.url)).status, 200);
    });
  });

  test("a server whose command does not exist: the gateway starts, /readyz names it, others work", async () => {
    const missing = join(ROOT, "no-such-dir/sophia-no-such-command");
    const started = performance.now();
    // connectTimeout bounds how long start-up waits for a server that never comes up.
    await withGateway(
      { fx: stdioEntry(FIXTURE), ghost: { command: missing, connectTimeout: "1s" } },
      async (gw, client) => {
        assert.ok(performance.now() - started < 10_000, "started within a bound");
        const report = await readyz(gw.url);
        assert.equal(report.status, 503);
        assert.equal(report.body.ready, false);
        assert.equal(report.body.upstreams.fx?.state, "ready");
        const ghost = report.body.upstreams.ghost;
        assert.equal(ghost?.state, "down", JSON.stringify(report.body));
        assert.match(ghost?.error ?? "", /ENOENT|not found|no such/i);

        assert.equal((await call(client, "fx__echo", { text: "ok" })).text, "ok");
        const tools = (await client.listTools()).tools.map((t) => t.name);
        assert.ok(tools.includes("fx__echo"));
        assert.ok(!tools.some((name) => name.startsWith("ghost__")));

        const result = await call(client, "ghost__echo", { text: "x" });
        assert.equal(result.isError, true);
        assert.match(result.text, /\bghost\b/);
        assert.match(result.text, /down/);
      },
    );
  });

  test("maxConcurrency 2: six concurrent slow calls run two at a time", async () => {
    const D = 500;
    await withGateway(
      { fx: { ...stdioEntry(FIXTURE), maxConcurrency: 2 } },
      async (_gw, client) => {
        const started = performance.now();
        const results = await Promise.all(
          Array.from({ length: 6 }, () => call(client, "fx__slow", { ms: D })),
        );
        const elapsed = performance.now() - started;
        for (const result of results)
          assert.deepEqual(result, { isError: false, text: `slept ${D}` });
        // Three waves of two: at least 3·D. One at a time would take 6·D.
        assert.ok(elapsed >= 3 * D, `six calls took ${Math.round(elapsed)} ms, under ${3 * D}`);
        assert.ok(elapsed < 6 * D, `six calls took ${Math.round(elapsed)} ms: ran one at a time?`);
      },
    );
  });

  test("graceful stop: an in-flight call finishes within drain, then the child is gone", async () => {
    const gw = await startGateway({ fx: stdioEntry(FIXTURE) }, { drain: "5s" });
    const client = await connectClient(`${gw.url}/mcp`);
    let stopped = false;
    try {
      const pid = await pidOf(client);
      const inFlight = call(client, "fx__slow", { ms: 800 });
      await until("the call to be in flight", async () =>
        (await readyz(gw.url)).body.upstreams.fx?.inFlight === 1 ? true : undefined,
      );
      const stopping = gw.stop().then(() => {
        stopped = true;
      });
      assert.deepEqual(await inFlight, { isError: false, text: "slept 800" });
      await stopping;
      assert.equal(alive(pid), false, `process ${pid} still runs after stop()`);
    } finally {
      await client.close();
      if (!stopped) await gw.stop();
    }
  });

  test("a call still running when drain ends gets a tool error, not a dropped connection", async () => {
    const gw = await startGateway({ fx: stdioEntry(FIXTURE) }, { drain: "300ms" });
    const client = await connectClient(`${gw.url}/mcp`);
    try {
      const pid = await pidOf(client);
      const inFlight = call(client, "fx__slow", { ms: 5000 }).catch((error: Error) => error);
      await until("the call to be in flight", async () =>
        (await readyz(gw.url)).body.upstreams.fx?.inFlight === 1 ? true : undefined,
      );
      const started = performance.now();
      await gw.stop();
      assert.ok(performance.now() - started < 3000, "stop() keeps to drain plus a short grace");
      assert.equal(alive(pid), false);
      const result = await inFlight;
      assert.ok(
        !(result instanceof Error),
        `the client saw a transport failure: ${String(result)}`,
      );
      assert.equal(result.isError, true);
      assert.match(result.text, /\bfx\b/);
    } finally {
      await client.close();
      await gw.stop();
    }
  });

  test("a server that offers only tools: prompts and resources lists report nothing missing, also after a restart", async () => {
    await withGateway({ fx: stdioEntry(FIXTURE) }, async (gw, client) => {
      const missing = async () => {
        const prompts = await client.listPrompts();
        const resources = await client.listResources();
        return [prompts._meta?.["io.sophia/missing"], resources._meta?.["io.sophia/missing"]];
      };
      assert.deepEqual(await missing(), [undefined, undefined]);
      await call(client, "fx__crash");
      await until("fx ready again", async () =>
        (await readyz(gw.url)).status === 200 ? true : undefined,
      );
      await until("a call after the restart", async () =>
        (await call(client, "fx__echo", { text: "x" })).isError ? undefined : true,
      );
      assert.deepEqual(await missing(), [undefined, undefined]);
    });
  });

  test("twenty client sessions share one stdio process", async () => {
    const gw = await startGateway({ fx: stdioEntry(FIXTURE) });
    const clients: Client[] = [];
    try {
      for (let i = 0; i < 20; i++)
        clients.push(await connectClient(`${gw.url}/mcp`, {}, `client-${i}`));
      const ids = new Set(clients.map((c) => c.transport?.sessionId));
      assert.equal(ids.size, 20, "twenty distinct sessions");
      const pids = await Promise.all(clients.map((client) => pidOf(client)));
      assert.equal(new Set(pids).size, 1, `pids seen: ${[...new Set(pids)].join(", ")}`);
      assert.equal(alive(pids[0]!), true);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
      await gw.stop();
    }
  });
});
