import assert from "node:assert/strict";
import { test } from "node:test";
import { gatedSink } from "../../../test/support/gated-audit-sink.ts";
import { silentLogger } from "../../shared/logger.ts";
import type { Principal } from "../auth/principal.ts";
import { type CallInfo, CallPipeline } from "../mcp/call-pipeline.ts";
import type { CallOutcome } from "../upstream/types.ts";
import { isoNow } from "./clock.ts";
import { auditInterceptor } from "./interceptor.ts";
import { AuditQueue, type AuditSink } from "./queue.ts";
import type { AuditRecord } from "./record.ts";
import { REDACTED } from "./redact.ts";

const ann: Principal = { subject: "ann", method: "api-key", keyId: "k1", roles: [], scopes: [] };

function call(name: string, args?: Record<string, unknown>): CallInfo {
  return {
    principal: ann,
    server: "s",
    kind: "tool",
    name,
    exposedName: `s__${name}`,
    arguments: args,
    params: { name, arguments: args },
    annotations: undefined,
    context: {
      signal: new AbortController().signal,
      onNotification() {},
      onServerRequest: () => Promise.resolve({ result: {} }),
    },
  };
}

function memorySink(): AuditSink & { records: AuditRecord[]; closed: boolean } {
  const sink = {
    kind: "file" as const,
    records: [] as AuditRecord[],
    closed: false,
    write: async (batch: readonly AuditRecord[]) => {
      sink.records.push(...batch);
    },
    close: async () => {
      sink.closed = true;
    },
  };
  return sink;
}

test("every outcome is recorded: answered, tool error, and a call that threw (sync or async)", async () => {
  const started = Date.now();
  const sink = memorySink();
  const queue = new AuditQueue(
    sink,
    { capacity: 100, batchSize: 100, flushMs: 10_000 },
    silentLogger(),
  );
  const pipeline = new CallPipeline({ interceptors: [auditInterceptor(queue, { mode: "keys" })] });
  const ok: CallOutcome = { result: { content: [] } };
  const toolError: CallOutcome = { result: { content: [], isError: true } };
  assert.equal(await pipeline.run(call("a", { password: "hunter2" }), async () => ok), ok);
  await pipeline.run(call("b"), async () => toolError);
  await assert.rejects(
    pipeline.run(call("c"), async () => {
      throw new Error("upstream gone");
    }),
    /upstream gone/,
  );
  await assert.rejects(
    pipeline.run(call("d"), () => {
      throw new Error("thrown at once");
    }),
    /thrown at once/,
  );
  // Written on close although the flush timer is far away: nothing accepted is lost.
  await queue.close();
  assert.equal(sink.closed, true);
  assert.ok(Date.now() - started < 5_000, "close does not wait for the flush timer");
  assert.deepEqual(
    sink.records.map((r) => [r.name, r.outcome]),
    [
      ["a", "ok"],
      ["b", "tool_error"],
      ["c", "error"],
      ["d", "error"],
    ],
  );
  const first = sink.records[0];
  assert.deepEqual(first?.arguments, { password: REDACTED });
  assert.equal(first?.subject, "ann");
  assert.equal(first?.keyId, "k1");
  assert.ok(Number.isFinite(first?.latencyMs));
  assert.ok(!Number.isNaN(Date.parse(first?.time ?? "")));
});

test("records pushed while a write is running are written after it, in order", async () => {
  const { sink, written, release } = gatedSink();
  const queue = new AuditQueue(sink, { capacity: 100, batchSize: 2, flushMs: 1 }, silentLogger());
  const pipeline = new CallPipeline({ interceptors: [auditInterceptor(queue, { mode: "none" })] });
  const names = ["a", "b", "c", "d", "e"];
  for (const name of names) await pipeline.run(call(name), async () => ({ result: {} }));
  const closing = queue.close();
  release();
  await closing;
  assert.deepEqual(written, names);
});

test("the audit clock formats once per millisecond and agrees with Date", () => {
  const at = Date.UTC(2026, 10, 27, 12, 0, 0, 5);
  assert.equal(isoNow(at), new Date(at).toISOString());
  assert.equal(isoNow(at), isoNow(at));
  assert.equal(isoNow(at + 1), new Date(at + 1).toISOString());
  assert.equal(isoNow(at), new Date(at).toISOString(), "going back in time still formats");
});

test("a __proto__ argument is recorded as a key, never as a prototype", async () => {
  const sink = memorySink();
  const queue = new AuditQueue(
    sink,
    { capacity: 10, batchSize: 10, flushMs: 10_000 },
    silentLogger(),
  );
  const pipeline = new CallPipeline({ interceptors: [auditInterceptor(queue, { mode: "keys" })] });
  const args = JSON.parse('{"__proto__": {"polluted": 1}, "q": 2}') as Record<string, unknown>;
  await pipeline.run(call("x", args), async () => ({ result: {} }));
  await queue.close();
  const recorded = sink.records[0]?.arguments as Record<string, unknown>;
  assert.equal(JSON.stringify(recorded), `{"__proto__":"${REDACTED}","q":"${REDACTED}"}`);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
