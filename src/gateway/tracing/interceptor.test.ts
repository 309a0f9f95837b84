import assert from "node:assert/strict";
import { test } from "node:test";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { ANONYMOUS } from "../auth/principal.ts";
import { type CallInfo, CallPipeline } from "../mcp/call-pipeline.ts";
import type { CallOutcome } from "../upstream/types.ts";
import { tracingInterceptor } from "./interceptor.ts";
import { parseTraceParent } from "./traceparent.ts";
import { GatewayTracing } from "./tracer.ts";

const CALLER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

function setup(sampleRatio = 1) {
  const exporter = new InMemorySpanExporter();
  const tracing = new GatewayTracing({ processor: new SimpleSpanProcessor(exporter), sampleRatio });
  const pipeline = new CallPipeline({ interceptors: [tracingInterceptor(tracing)] });
  return { exporter, pipeline };
}

function info(params: Record<string, unknown>): CallInfo {
  return {
    principal: ANONYMOUS,
    server: "docs",
    kind: "tool",
    name: "search",
    exposedName: "docs__search",
    arguments: {},
    params,
    annotations: undefined,
    context: {},
  };
}

test("a client span per upstream call, child of the caller's _meta.traceparent, passed on in _meta", async () => {
  const { exporter, pipeline } = setup();
  const params = {
    name: "search",
    arguments: {},
    _meta: { traceparent: CALLER, tracestate: "vendor=1", progressToken: 7 },
  };
  let sent: Record<string, unknown> | undefined;
  await pipeline.run(info(params), async () => {
    sent = params._meta;
    return { result: { content: [] } };
  });
  const [span] = exporter.getFinishedSpans();
  assert.ok(span);
  assert.equal(span.kind, SpanKind.CLIENT);
  assert.equal(span.name, "tools/call docs__search");
  assert.equal(span.spanContext().traceId, "0af7651916cd43dd8448eb211c80319c");
  assert.equal(span.parentSpanContext?.spanId, "b7ad6b7169203331");
  assert.deepEqual(span.attributes, {
    "mcp.method": "tools/call",
    "mcp.tool": "search",
    server: "docs",
    outcome: "ok",
  });
  const forwarded = parseTraceParent(sent?.traceparent);
  assert.equal(
    forwarded?.spanId,
    span.spanContext().spanId,
    "the upstream sees our span as its parent",
  );
  assert.equal(sent?.tracestate, "vendor=1");
  assert.equal(sent?.progressToken, 7, "other _meta entries are kept");
});

test("outcomes other than ok mark the span as an error", async () => {
  const { exporter, pipeline } = setup();
  const outcomes: CallOutcome[] = [
    { result: { content: [], isError: true } },
    { error: { code: -32029, message: "Rate limited" } },
  ];
  for (const outcome of outcomes) await pipeline.run(info({ name: "search" }), async () => outcome);
  const spans = exporter.getFinishedSpans();
  assert.deepEqual(
    spans.map((s) => [s.attributes.outcome, s.status.code]),
    [
      ["tool_error", 2],
      ["rate_limited", 2],
    ],
  );
});

test("sampleRatio 0 records nothing for new traces but still passes a context upstream", async () => {
  const { exporter, pipeline } = setup(0);
  const params: Record<string, unknown> = { name: "search" };
  await pipeline.run(info(params), async () => ({ result: {} }));
  assert.equal(exporter.getFinishedSpans().length, 0);
  const meta = params._meta as Record<string, unknown>;
  assert.equal(parseTraceParent(meta.traceparent)?.flags, 0);
});
