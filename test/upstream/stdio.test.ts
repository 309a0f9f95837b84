import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createUpstream } from "../../src/gateway/upstream/create-upstream.ts";
import { StdioTransport } from "../../src/gateway/upstream/stdio-transport.ts";
import { ManagedUpstream } from "../../src/gateway/upstream/upstream.ts";
import { isSophiaError } from "../../src/shared/errors.ts";
import { upstreamScenarios } from "./scenarios.ts";
import {
  alive,
  callTool,
  eventually,
  FIXTURES,
  memoryLogger,
  startFor,
  stdioConfig,
  textOf,
} from "./support.ts";

upstreamScenarios({
  label: "stdio upstream",
  setup: async () => {},
  teardown: async () => {},
  create: (logger, overrides) => createUpstream("fx", stdioConfig(overrides), logger),
  revive: async () => {},
});

describe("stdio upstream specifics", () => {
  test("garbage on stdout is reported and dropped; the connection stays up", async (t) => {
    const { logger, lines } = memoryLogger();
    const upstream = createUpstream("fx", stdioConfig(), logger);
    await startFor(t, upstream);
    try {
      assert.equal(textOf(await callTool(upstream, "garbage")), "wrote garbage");
      await eventually(
        () => lines.filter((l) => l.msg === "upstream sent something unusable").length === 3,
      );
      const errors = lines
        .filter((l) => l.msg === "upstream sent something unusable")
        .map((l) => JSON.stringify(l.err));
      assert.match(errors[0] ?? "", /not JSON/);
      assert.match(errors[1] ?? "", /not a JSON-RPC message/);
      assert.equal(textOf(await callTool(upstream, "echo", { text: "after" })), "after");
      assert.equal(upstream.state, "ready");
    } finally {
      await upstream.stop(1000);
    }
  });

  test("stderr lines are logged with the server name", async (t) => {
    const { logger, lines } = memoryLogger();
    const upstream = createUpstream("fx", stdioConfig(), logger);
    await startFor(t, upstream);
    await upstream.stop(1000);
    const line = lines.find((l) => l.stream === "stderr");
    assert.equal(line?.server, "fx");
    assert.match(String(line?.msg), /fixture stdio server \d+ ready/);
  });

  test("a pool of 3 spreads calls to the replica with the fewest in flight", async (t) => {
    const upstream = createUpstream("fx", stdioConfig({ pool: 3 }), memoryLogger().logger);
    await startFor(t, upstream);
    // start() resolves on the first ready replica; the load test needs all three.
    await eventually(() => (upstream as ManagedUpstream).replicas.every((r) => r.ready), 15_000);
    const answers = await Promise.all(
      Array.from({ length: 9 }, () => callTool(upstream, "whoami", { ms: 300 })),
    );
    const pids = answers.map((a) => Number(textOf(a)));
    const perPid = new Map<number, number>();
    for (const pid of pids) perPid.set(pid, (perPid.get(pid) ?? 0) + 1);
    assert.deepEqual([...perPid.values()], [3, 3, 3]);
    await upstream.stop(1000);
    for (const pid of perPid.keys())
      assert.equal(alive(pid), false, `process ${pid} still alive after stop()`);
  });

  test("stop() lets an in-flight call finish, then kills the process", async (t) => {
    const upstream = createUpstream("fx", stdioConfig(), memoryLogger().logger);
    await startFor(t, upstream);
    const pid = Number(textOf(await callTool(upstream, "whoami")));
    const call = callTool(upstream, "slow", { ms: 300 });
    await new Promise((r) => setTimeout(r, 50));
    const stopped = upstream.stop(5000);
    await assert.rejects(callTool(upstream, "echo", { text: "late" }), (e) =>
      isSophiaError(e, "UPSTREAM_UNAVAILABLE"),
    );
    assert.equal(textOf(await call), "slept 300");
    await stopped;
    assert.equal(upstream.state, "stopped");
    assert.equal(alive(pid), false);
  });

  test("stop() fails calls still in flight after the grace and ends the process", async (t) => {
    const upstream = createUpstream("fx", stdioConfig(), memoryLogger().logger);
    await startFor(t, upstream);
    const pid = Number(textOf(await callTool(upstream, "whoami")));
    const call = callTool(upstream, "slow", { ms: 60_000 }).catch((error: unknown) => error);
    const started = Date.now();
    await upstream.stop(200);
    const error = await call;
    assert.ok(isSophiaError(error, "UPSTREAM_UNAVAILABLE"), String(error));
    assert.match(error.message, /server fx was stopped while tools\/call slow was in flight/);
    assert.equal(alive(pid), false);
    assert.ok(Date.now() - started < 8000);
  });

  test("a command that does not exist: start() rejects after connectTimeoutMs, calls fail fast", async (t) => {
    const upstream = createUpstream(
      "ghost",
      stdioConfig({ command: "/nonexistent/sophia-no-such-server", connectTimeoutMs: 600 }),
      memoryLogger().logger,
    );
    t.after(() => upstream.stop(100));
    const started = Date.now();
    await assert.rejects(upstream.start(), (error: unknown) => {
      assert.ok(isSophiaError(error, "UPSTREAM_UNAVAILABLE"));
      assert.match(error.message, /server ghost did not become ready within 600 ms: .*not found/);
      return true;
    });
    assert.ok(Date.now() - started < 2000);
    assert.equal(upstream.state, "down");
    const before = Date.now();
    await assert.rejects(callTool(upstream, "echo", { text: "x" }), (e) =>
      isSophiaError(e, "UPSTREAM_UNAVAILABLE"),
    );
    assert.ok(Date.now() - before < 50);
    await upstream.stop(100);
  });

  test("the concurrency cap queues calls in order, and a queued call still times out", async (t) => {
    const upstream = createUpstream(
      "fx",
      stdioConfig({ maxConcurrency: 1 }),
      memoryLogger().logger,
    );
    await startFor(t, upstream);
    try {
      const order: string[] = [];
      const first = callTool(upstream, "slow", { ms: 300 }).then(() => order.push("first"));
      const second = callTool(upstream, "echo", { text: "second" }).then(() =>
        order.push("second"),
      );
      const third = callTool(upstream, "echo", { text: "third" }, { timeoutMs: 100 });
      await assert.rejects(
        third,
        (e: unknown) =>
          isSophiaError(e, "UPSTREAM_TIMEOUT") && /waited in the queue/.test(e.message),
      );
      await Promise.all([first, second]);
      assert.deepEqual(order, ["first", "second"]);
    } finally {
      await upstream.stop(1000);
    }
  });

  test("close escalates to SIGTERM, then SIGKILL, for a process that ignores both stdin and SIGTERM", async (t) => {
    const { logger, lines } = memoryLogger();
    const upstream = new ManagedUpstream({
      name: "fx",
      config: stdioConfig(),
      logger,
      transport: () =>
        new StdioTransport({
          name: "fx",
          command: process.execPath,
          args: [`${FIXTURES}stdio-server.ts`],
          env: { FIXTURE_STUBBORN: "1" },
          cwd: undefined,
          logger,
          termAfterMs: 200,
          killAfterMs: 300,
        }),
    });
    await startFor(t, upstream);
    const pid = Number(textOf(await callTool(upstream, "whoami")));
    const started = Date.now();
    await upstream.stop(100);
    assert.equal(alive(pid), false);
    assert.ok(Date.now() - started >= 500, "waited for both graces");
    await eventually(() => lines.some((l) => l.msg === "ignoring SIGTERM"));
  });

  test("the child gets the minimal inherited environment plus its configured variables only", async (t) => {
    process.env.SOPHIA_TEST_LEAK = "must-not-leak";
    const upstream = createUpstream(
      "fx",
      stdioConfig({ env: { FIXTURE_GIVEN: "given" } }),
      memoryLogger().logger,
    );
    try {
      await startFor(t, upstream);
      const env = async (name: string) => textOf(await callTool(upstream, "env", { name }));
      assert.equal(await env("FIXTURE_GIVEN"), "given");
      assert.equal(await env("SOPHIA_TEST_LEAK"), "(unset)");
      assert.equal(await env("PATH"), process.env.PATH);
    } finally {
      delete process.env.SOPHIA_TEST_LEAK;
      await upstream.stop(1000);
    }
  });

  test("calls queued on a replica that dies are sent again on another replica", async (t) => {
    const upstream = createUpstream(
      "fx",
      stdioConfig({ pool: 2, maxConcurrency: 1 }),
      memoryLogger().logger,
    );
    await startFor(t, upstream);
    try {
      await eventually(() => (upstream as ManagedUpstream).replicas.every((r) => r.ready), 15_000);
      const crash = callTool(upstream, "crash", { code: 5 }).catch((error: unknown) => error); // replica 0
      const slow = callTool(upstream, "slow", { ms: 300 }); // replica 1
      const queued = callTool(upstream, "echo", { text: "moved" }); // tie: queued behind the crash on replica 0
      assert.deepEqual(
        (upstream as ManagedUpstream).replicas.map((r) => r.inFlight),
        [2, 1],
      );
      const error = await crash;
      assert.ok(isSophiaError(error, "UPSTREAM_UNAVAILABLE"), String(error));
      assert.match(error.message, /exited with code 5/);
      assert.equal(textOf(await queued), "moved");
      assert.equal(textOf(await slow), "slept 300");
    } finally {
      await upstream.stop(1000);
    }
  });
});
