import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gatedSink } from "../../../test/support/gated-audit-sink.ts";
import { silentLogger } from "../../shared/logger.ts";
import { FileAuditSink } from "./file-sink.ts";
import { AuditQueue, type AuditSink } from "./queue.ts";
import type { AuditRecord } from "./record.ts";

function record(name: string): AuditRecord {
  return {
    time: new Date(0).toISOString(),
    requestId: undefined,
    subject: "ann",
    method: "api-key",
    keyId: "k1",
    server: "s",
    kind: "tool",
    name,
    outcome: "ok",
    latencyMs: 1,
    error: undefined,
    arguments: { q: "[redacted]" },
  };
}

test("a full queue drops and counts instead of waiting; the rest is written in order", async () => {
  const { sink, written, release } = gatedSink();
  let dropped = 0;
  const queue = new AuditQueue(
    sink,
    { capacity: 3, batchSize: 2, onDropped: (n) => (dropped += n) },
    silentLogger(),
  );
  for (const name of ["a", "b", "c", "d", "e"]) queue.push(record(name));
  assert.equal(dropped, 2);
  release();
  await queue.close();
  assert.deepEqual(written, ["a", "b", "c"]);
});

test("a failing sink keeps its records and retries them", async () => {
  let failures = 1;
  const written: string[] = [];
  const sink: AuditSink = {
    kind: "postgres",
    write: async (batch) => {
      if (failures-- > 0) throw new Error("connection refused");
      written.push(...batch.map((r) => r.name));
    },
    close: async () => {},
  };
  const queue = new AuditQueue(
    sink,
    { capacity: 10, batchSize: 10, retryMs: 5, flushMs: 1 },
    silentLogger(),
  );
  queue.push(record("a"));
  queue.push(record("b"));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(written, ["a", "b"]);
  await queue.close();
});

test("the file sink appends JSON lines and rotates by size, keeping N files", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sophia-audit-"));
  try {
    const path = join(dir, "audit.jsonl");
    const sink = new FileAuditSink({ path, maxBytes: 600, keep: 2 });
    for (let i = 0; i < 12; i++) await sink.write([record(`t${i}`)]);
    await sink.close();
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"]);
    const lines = (await readFile(path, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(lines.at(-1).name, "t11");
    for (const file of files) assert.ok((await readFile(join(dir, file))).length <= 600);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
