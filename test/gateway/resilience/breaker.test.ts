import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { NODE, stdioEntry } from "../../support/gateway-harness.ts";
import { alive, readyz, until } from "../../support/poll.ts";
import { call, FIXTURE, metric, withGateway } from "./support.ts";

describe("circuit breaker and restarts, real stdio upstreams", () => {
  test("slow upstream: timeouts open the circuit, calls fail at once, a probe after the cool-down closes it", async () => {
    const fx = {
      ...stdioEntry(FIXTURE),
      timeout: "200ms",
      breaker: { failures: 2, cooldown: "800ms" },
      retry: { attempts: 1 },
    };
    await withGateway({ fx }, async (gw, client) => {
      for (let i = 0; i < 2; i++) {
        const slow = await call(client, "fx__slow", { ms: 5000 });
        assert.equal(slow.isError, true);
        assert.match(slow.text, /within 200 ms/);
      }
      const started = performance.now();
      const rejected = await call(client, "fx__echo", { text: "x" });
      const elapsed = performance.now() - started;
      assert.equal(rejected.isError, true);
      assert.match(rejected.text, /server fx is unavailable \(circuit open, retry in 1s\)/);
      assert.ok(elapsed < 150, `rejected after ${Math.round(elapsed)} ms, not at once`);
      assert.equal(await metric(gw.url, "sophia_circuit_state", 'server="fx"'), 2);
      const report = await readyz(gw.url);
      assert.equal(report.status, 503, JSON.stringify(report.body));

      const recovered = await until(
        "a probe call after the cool-down",
        async () => {
          const result = await call(client, "fx__echo", { text: "back" });
          return result.isError ? undefined : result.text;
        },
        { everyMs: 100, timeoutMs: 5000 },
      );
      assert.equal(recovered, "back");
      assert.equal(await metric(gw.url, "sophia_circuit_state", 'server="fx"'), 0);
      assert.equal(await metric(gw.url, "sophia_circuit_transitions_total", 'to="closed"'), 1);
      assert.equal((await readyz(gw.url)).status, 200);
    });
  });

  test("a tool that answers with an error does not open the circuit", async () => {
    const fx = { ...stdioEntry(FIXTURE), breaker: { failures: 1 } };
    await withGateway({ fx }, async (_gw, client) => {
      for (let i = 0; i < 3; i++) {
        const bad = await client.callTool({ name: "fx__echo", arguments: { text: 42 } });
        assert.equal(bad.isError, true);
      }
      assert.deepEqual(await call(client, "fx__echo", { text: "ok" }), {
        isError: false,
        text: "ok",
      });
    });
  });

  test("upstream killed mid-call: the caller gets a tool error, the next call works after the restart", async () => {
    await withGateway({ fx: stdioEntry(FIXTURE) }, async (_gw, client) => {
      const pid = Number((await call(client, "fx__whoami")).text);
      const inFlight = call(client, "fx__slow", { ms: 5000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.kill(pid, "SIGKILL");
      const result = await inFlight;
      assert.equal(result.isError, true);
      assert.match(result.text, /\bfx\b/);
      const next = await until(
        "a call answered by the restarted process",
        async () => {
          const r = await call(client, "fx__whoami");
          return r.isError ? undefined : Number(r.text);
        },
        { everyMs: 100 },
      );
      assert.notEqual(next, pid);
      assert.equal(alive(pid), false);
    });
  });

  test("a server that crashes at every start: restarts back off, the circuit opens meanwhile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sophia-crashloop-"));
    const starts = join(dir, "starts");
    const script = `require("node:fs").appendFileSync(${JSON.stringify(starts)}, "x"); process.exit(3)`;
    try {
      const crashy = {
        command: NODE,
        args: ["-e", script],
        connectTimeout: "1s",
        breaker: { failures: 3, cooldown: "30s" },
      };
      await withGateway({ crashy }, async (gw, client) => {
        await until("the circuit to open", async () =>
          (await metric(gw.url, "sophia_circuit_state", 'server="crashy"')) === 2
            ? true
            : undefined,
        );
        const result = await call(client, "crashy__anything");
        assert.equal(result.isError, true);
        assert.match(result.text, /server crashy is unavailable \(circuit open, retry in \d+s\)/);
        const report = await readyz(gw.url);
        assert.equal(report.status, 503);
        assert.equal(report.body.upstreams.crashy?.state, "down");
        await new Promise((resolve) => setTimeout(resolve, 1500));
        // Doubling from 200 ms: about six starts in three seconds; without backoff, hundreds.
        const count = readFileSync(starts, "utf8").length;
        assert.ok(count >= 3 && count <= 10, `${count} starts`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
