import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { call, openSession, raw, startSecured } from "../security/support.ts";
import { PG_URL, TRAFFIC_FIXTURE } from "./support.ts";

const GATEWAY = {
  policies: { default: "allow", rules: [{ name: "no-write", effect: "deny", names: "write" }] },
  limits: { rules: [{ name: "one-meta", tools: "meta", rate: "1/min", burst: 1 }] },
};

/** Calls with every outcome; returns the x-request-id of the first. */
async function callEveryOutcome(url: string): Promise<string> {
  const session = await openSession(`${url}/mcp`);
  const tool = (name: string, args: Record<string, unknown>) =>
    call(`${url}/mcp`, session, "tools/call", { name: `t__${name}`, arguments: args });
  const ok = await tool("lookup", { key: "salary of ann", page: 3 });
  await tool("broken", { key: "x" });
  await tool("write", { key: "x" });
  await tool("meta", {});
  await tool("meta", {});
  return String(ok.headers["x-request-id"]);
}

describe("audit log to a JSON lines file", () => {
  let dir: string;
  let gw: Awaited<ReturnType<typeof startSecured>>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sophia-audit-"));
    gw = await startSecured(
      { ...GATEWAY, audit: { file: { path: join(dir, "audit.jsonl") } } },
      { t: TRAFFIC_FIXTURE },
    );
  });
  after(async () => {
    await gw?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test("every call is one line: who, what, outcome, latency, request id, argument keys only", async () => {
    const requestId = await callEveryOutcome(gw.url);
    await gw.stop();
    const lines = (await readFile(join(dir, "audit.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map((l) => `${l.name}:${l.outcome}`),
      ["lookup:ok", "broken:tool_error", "write:denied", "meta:ok", "meta:rate_limited"],
    );
    const first = lines[0];
    assert.equal(first.requestId, requestId);
    assert.equal(first.subject, "anonymous");
    assert.equal(first.method, "anonymous");
    assert.equal(first.server, "t");
    assert.equal(first.kind, "tool");
    assert.ok(first.latencyMs > 0);
    assert.ok(!Number.isNaN(Date.parse(first.time)));
    assert.deepEqual(first.arguments, { key: "[redacted]", page: "[redacted]" });
    assert.equal(lines[2].error, "-32030");
    assert.equal(lines[4].error, "-32029");
  });

  test("the audit counters are in /metrics", async () => {
    const again = await startSecured(
      { audit: { file: { path: join(dir, "second.jsonl") } } },
      { t: TRAFFIC_FIXTURE },
    );
    try {
      await callEveryOutcome(again.url);
      let text = "";
      // Records are written in batches at most 50 ms apart.
      for (let i = 0; i < 40 && !/sophia_audit_records_total 5/.test(text); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        text = (await raw(`${again.url}/metrics`)).text;
      }
      assert.match(text, /sophia_audit_records_total 5/);
      assert.match(text, /sophia_audit_dropped_total 0/);
    } finally {
      await again.stop();
    }
  });
});

describe("audit log to PostgreSQL (real database, own table)", () => {
  const table = `sophia_audit_test_${randomUUID().slice(0, 8)}`;
  const client = new pg.Client({ connectionString: PG_URL });

  before(() => client.connect());
  after(async () => {
    await client.query(`DROP TABLE IF EXISTS "${table}"`);
    await client.end();
  });

  test("rows are batched into the table, created on first use; listed paths redacted", async () => {
    const gw = await startSecured(
      {
        ...GATEWAY,
        audit: { postgres: { url: PG_URL, table }, arguments: { redact: ["key"] } },
      },
      { t: TRAFFIC_FIXTURE },
    );
    let requestId: string;
    try {
      requestId = await callEveryOutcome(gw.url);
    } finally {
      await gw.stop();
    }
    const { rows } = await client.query(
      `SELECT request_id, subject, server, name, outcome, latency_ms, error, arguments FROM "${table}" ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((r) => `${r.name}:${r.outcome}`),
      ["lookup:ok", "broken:tool_error", "write:denied", "meta:ok", "meta:rate_limited"],
    );
    assert.equal(rows[0].request_id, requestId);
    assert.deepEqual(rows[0].arguments, { key: "[redacted]", page: 3 });
    assert.ok(rows[0].latency_ms > 0);
  });
});
