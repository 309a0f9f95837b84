import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readyz } from "../../support/poll.ts";
import { FaultyProxy } from "./faulty-proxy.ts";
import { startHttpFixture } from "./http-fixture.ts";
import { call, metric, withGateway } from "./support.ts";

describe("HTTP replicas: retries and outlier ejection, two real HTTP fixtures", () => {
  test("a read-only tool is retried on the other replica, a plain one is not; the failing replica is ejected", async () => {
    const a = await startHttpFixture();
    const b = await startHttpFixture();
    const proxy = new FaultyProxy(a.port);
    const proxyPort = await proxy.listen();
    try {
      const web = {
        url: [`http://127.0.0.1:${proxyPort}/mcp`, `http://127.0.0.1:${b.port}/mcp`],
        retry: { backoff: "10ms" },
        outlier: { failures: 2, ejection: "30s" },
        breaker: { failures: 10 },
      };
      await withGateway({ web }, async (gw, client) => {
        // Calls one at a time go to the first replica (least in flight, first on ties).
        assert.equal((await call(client, "web__pid")).text, String(a.pid));
        proxy.failing = true;

        const retried = await call(client, "web__pid");
        assert.deepEqual(retried, { isError: false, text: String(b.pid) });
        assert.equal(await metric(gw.url, "sophia_retries_total", 'server="web"'), 1);

        const plain = await call(client, "web__whoami");
        assert.equal(
          plain.isError,
          true,
          "a tool without readOnlyHint/idempotentHint is not retried",
        );
        assert.match(plain.text, /\bweb\b/);
        assert.equal(await metric(gw.url, "sophia_retries_total", 'server="web"'), 1);

        // Two failures in a row: replica 0 is ejected and calls go to replica 1.
        assert.equal(
          await metric(gw.url, "sophia_replica_ejections_total", 'reason="failures"'),
          1,
        );
        const report = await readyz(gw.url);
        assert.equal(report.status, 200, "degraded still serves");
        const entry = report.body.upstreams.web as unknown as {
          health: string;
          replicas: Array<{ ejected: boolean }>;
        };
        assert.equal(entry.health, "degraded");
        assert.deepEqual(
          entry.replicas.map((r) => r.ejected),
          [true, false],
        );
        assert.deepEqual(await call(client, "web__whoami"), {
          isError: false,
          text: String(b.pid),
        });
      });
    } finally {
      await proxy.close();
      a.stop();
      b.stop();
    }
  });
});
