import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { call, openSession, startSecured } from "../security/support.ts";
import { TRAFFIC_FIXTURE, toolText } from "./support.ts";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** A fake OTLP/HTTP collector on 127.0.0.1: keeps every span it receives (JSON encoding). */
async function fakeCollector() {
  const spans: OtlpSpan[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      contentTypes.push(String(req.headers["content-type"]));
      if (req.url === "/v1/traces") {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        for (const resource of body.resourceSpans ?? [])
          for (const scope of resource.scopeSpans ?? []) spans.push(...scope.spans);
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attr = (span: OtlpSpan | undefined, key: string) => {
  const value = span?.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
};

describe("OpenTelemetry traces to a fake OTLP collector (real gateway, stdio upstream)", () => {
  let collector: Awaited<ReturnType<typeof fakeCollector>>;
  let gw: Awaited<ReturnType<typeof startSecured>>;
  let upstreamMeta: Record<string, string>;

  before(async () => {
    collector = await fakeCollector();
    gw = await startSecured({ tracing: { otlp: collector.url } }, { t: TRAFFIC_FIXTURE });
    const session = await openSession(`${gw.url}/mcp`);
    // One POST, one MCP request.
    const answer = await call(
      `${gw.url}/mcp`,
      session,
      "tools/call",
      { name: "t__meta", arguments: {} },
      { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` },
    );
    upstreamMeta = JSON.parse(toolText(answer.json()));
    await gw.stop(); // flushes the batch of spans
  });
  after(async () => {
    await gw?.stop();
    await collector.close();
  });

  test("the request span continues the caller's trace from the traceparent header", () => {
    const server = collector.spans.find((s) => s.kind === 2 && s.traceId === TRACE_ID);
    assert.ok(server, `a server span among ${collector.spans.map((s) => s.name).join(", ")}`);
    assert.equal(server.traceId, TRACE_ID);
    assert.equal(server.parentSpanId, CALLER_SPAN);
    assert.equal(server.name, "POST /mcp");
    assert.equal(attr(server, "mcp.method"), "tools/call");
    assert.equal(attr(server, "http.response.status_code"), 200);
    const others = collector.spans.filter((s) => s.kind === 2 && s.traceId !== TRACE_ID);
    assert.ok(others.length >= 2, "initialize and its notification got spans of their own traces");
  });

  test("the upstream call span is its child, with method, tool, server and outcome", () => {
    const server = collector.spans.find((s) => s.kind === 2 && s.traceId === TRACE_ID);
    const client = collector.spans.find((s) => s.kind === 3);
    assert.ok(client);
    assert.equal(client.traceId, TRACE_ID);
    assert.equal(client.parentSpanId, server?.spanId);
    assert.equal(attr(client, "mcp.method"), "tools/call");
    assert.equal(attr(client, "mcp.tool"), "meta");
    assert.equal(attr(client, "server"), "t");
    assert.equal(attr(client, "outcome"), "ok");
  });

  test("the upstream received the trace context in _meta", () => {
    const client = collector.spans.find((s) => s.kind === 3);
    assert.equal(upstreamMeta.traceparent, `00-${TRACE_ID}-${client?.spanId}-01`);
  });

  test("spans are exported as OTLP JSON over HTTP", () => {
    assert.ok(collector.contentTypes.every((type) => type.startsWith("application/json")));
  });
});

describe("tracing with the collector down", () => {
  test("calls are served and stop() resolves (export failures are logged, not thrown)", async () => {
    const collector = await fakeCollector();
    const url = collector.url;
    await collector.close(); // nothing listens there any more
    const gw = await startSecured({ tracing: { otlp: url } }, { t: TRAFFIC_FIXTURE });
    const session = await openSession(`${gw.url}/mcp`);
    const answer = await call(`${gw.url}/mcp`, session, "tools/call", {
      name: "t__lookup",
      arguments: { key: "k" },
    });
    assert.match(toolText(answer.json()), /^k#/);
    await gw.stop();
  });
});
