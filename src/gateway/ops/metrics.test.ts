import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayMetrics } from "./metrics.ts";

test("tool label values are capped per server so client-chosen names cannot explode the metrics", async () => {
  const metrics = new GatewayMetrics(
    () => [],
    () => 0,
  );
  for (let i = 0; i < 300; i++) {
    metrics.started("svc", `t${i}`);
    metrics.finished("svc", `t${i}`, "error", 0.001);
  }
  metrics.finished("svc", "t0", "ok", 0.001);
  const text = await metrics.registry.metrics();
  const series = text.split("\n").filter((l) => l.startsWith("sophia_tool_calls_total{"));
  assert.equal(series.filter((l) => l.includes('tool="other"')).length, 1);
  assert.ok(series.some((l) => l.includes('tool="t0",status="ok"')));
  assert.ok(!series.some((l) => l.includes('tool="t299"')));
  assert.ok(series.length <= 256 + 2);
});
