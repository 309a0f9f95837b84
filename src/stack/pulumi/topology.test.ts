import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fullModel, minimalModel } from "../../../test/stack/pulumi/support/models.ts";
import { topologyOf, topologySource } from "./topology.ts";

describe("topologyOf", () => {
  it("has only the gateway when nothing else is configured", () => {
    const t = topologyOf(minimalModel());
    assert.deepEqual(
      t.workloads.map((w) => w.name),
      ["gateway"],
    );
    assert.deepEqual(t.dataServices, ["redis"]);
    assert.deepEqual(t.workloads[0]?.connects, ["redis"]);
    assert.deepEqual(t.workloads[0]?.calls, []);
  });

  it("adds flow, n8n main and workers and Python servers, wired to each other", () => {
    const t = topologyOf(fullModel());
    assert.deepEqual(
      t.workloads.map((w) => w.name),
      ["gateway", "flow", "n8n", "n8n-worker", "weather"],
    );
    const byName = new Map(t.workloads.map((w) => [w.name, w]));
    assert.deepEqual(byName.get("gateway")?.calls, ["weather"]);
    assert.deepEqual(byName.get("flow")?.connects, ["postgres", "nats"]);
    assert.deepEqual(byName.get("flow")?.calls, ["n8n"]);
    assert.deepEqual(byName.get("n8n-worker")?.args, ["worker"]);
    assert.equal(byName.get("n8n")?.host, "n8n.mcp.acme.example");
    assert.equal(byName.get("n8n-worker")?.host, undefined);
  });

  it("autoscales the gateway within the model's bounds and never the flow", () => {
    const t = topologyOf(fullModel());
    assert.deepEqual(t.workloads.find((w) => w.name === "gateway")?.autoscale, { min: 2, max: 8 });
    assert.equal(t.workloads.find((w) => w.name === "flow")?.autoscale, undefined);
  });

  it("runs every workload as uid 10001 with both probes", () => {
    for (const w of topologyOf(fullModel()).workloads) {
      assert.equal(w.runAsUser, 10001, w.name);
      assert.ok(w.liveness.startsWith("/") && w.readiness.startsWith("/"), w.name);
    }
  });

  it("renders the data as a typed constant", () => {
    const source = topologySource(minimalModel());
    assert.match(
      source,
      /^import type \{ Topology \} from "\.\/types\.ts";\n\nexport const topology: Topology = \{/,
    );
    const json = source.slice(source.indexOf("= ") + 2, -2);
    assert.deepEqual(JSON.parse(json), topologyOf(minimalModel()));
  });
});
