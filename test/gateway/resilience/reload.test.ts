import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseConfigText } from "../../../src/config/index.ts";
import { stdioEntry } from "../../support/gateway-harness.ts";
import { alive } from "../../support/poll.ts";
import { call, FIXTURE, metric, withGateway } from "./support.ts";

const configOf = (servers: Record<string, unknown>, listen = "127.0.0.1:0") =>
  parseConfigText(JSON.stringify({ gateway: { listen }, servers }), { file: "test.json", env: {} });

describe("hot reload of the configuration, real stdio upstreams", () => {
  test("reload during load: changed server replaced, added and removed servers, no call lost", async () => {
    const servers = { fx: stdioEntry(FIXTURE), gone: stdioEntry(FIXTURE) };
    await withGateway(servers, async (gw, client) => {
      const oldPid = Number((await call(client, "fx__whoami")).text);
      const goneUpstream = gw.gateway.upstreams.get("gone");
      let stop = false;
      const results: Array<{ isError: boolean; text: string }> = [];
      const worker = async (w: number) => {
        for (let i = 0; i < 400 && !stop; i++)
          results.push(await call(client, "fx__echo", { text: `${w}-${i}` }));
      };
      const load = Promise.all([0, 1, 2, 3].map(worker));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const report = await gw.gateway.reload(() =>
        configOf({ fx: { ...stdioEntry(FIXTURE), timeout: "20s" }, added: stdioEntry(FIXTURE) }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      stop = true;
      await load;

      assert.equal(report.result, "ok");
      assert.deepEqual(
        { added: report.added, removed: report.removed, changed: report.changed },
        { added: ["added"], removed: ["gone"], changed: ["fx"] },
      );
      const failed = results.filter((r) => r.isError);
      assert.deepEqual(failed, [], `${failed.length} of ${results.length} calls failed`);
      assert.ok(results.length > 20, `only ${results.length} calls ran`);
      const newPid = Number((await call(client, "fx__whoami")).text);
      assert.notEqual(newPid, oldPid, "fx was replaced by a new process");
      assert.equal(alive(oldPid), false, "the old process was stopped");
      assert.equal(goneUpstream?.state, "stopped");
      assert.equal((await call(client, "added__echo", { text: "hi" })).text, "hi");
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes("added__echo") && !names.some((n) => n.startsWith("gone__")));
      assert.equal(await metric(gw.url, "sophia_config_reloads_total", 'result="ok"'), 1);
    });
  });

  test("an invalid configuration is rejected with its error and the old one keeps serving", async () => {
    await withGateway({ fx: stdioEntry(FIXTURE) }, async (gw, client) => {
      const pid = Number((await call(client, "fx__whoami")).text);
      const report = await gw.gateway.reload(() =>
        parseConfigText("servers:\n  fx: { command: x, pool: 0 }\n", {
          file: "sophia.yaml",
          env: {},
        }),
      );
      assert.equal(report.result, "invalid");
      assert.match(report.error ?? "", /sophia\.yaml:2:\d+: servers\.fx\.pool/);
      assert.equal(Number((await call(client, "fx__whoami")).text), pid);
      assert.equal(await metric(gw.url, "sophia_config_reloads_total", 'result="invalid"'), 1);
    });
  });

  test("a new listen address is refused (needs a restart); unchanged servers are untouched", async () => {
    await withGateway({ fx: stdioEntry(FIXTURE) }, async (gw, client) => {
      const pid = Number((await call(client, "fx__whoami")).text);
      const report = await gw.gateway.reload(() =>
        configOf({ fx: stdioEntry(FIXTURE) }, "127.0.0.1:1"),
      );
      assert.equal(report.result, "ok");
      assert.deepEqual(report.needsRestart, ["listen address 127.0.0.1:0 -> 127.0.0.1:1"]);
      assert.deepEqual([report.added, report.changed, report.removed], [[], [], []]);
      assert.equal(Number((await call(client, "fx__whoami")).text), pid);
    });
  });
});
