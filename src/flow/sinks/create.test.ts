import assert from "node:assert/strict";
import { test } from "node:test";
import { silentLogger } from "../../shared/logger.ts";
import { createSink, SINK_KINDS, sinkConfigSchema } from "./create.ts";

test("every kind parses and builds a sink with its name and guarantee", () => {
  const configs = [
    { kind: "webhook", url: "http://127.0.0.1:1/h", secret: "0123456789abcdef" },
    { kind: "pgvector", connectionString: "postgres://x", dimensions: 3 },
    { kind: "postgres", connectionString: "postgres://x" },
    { kind: "redis", url: "redis://127.0.0.1:1" },
    { kind: "nats", servers: "nats://127.0.0.1:1" },
    { kind: "qdrant", url: "http://127.0.0.1:1", dimensions: 3 },
    { kind: "weaviate", url: "http://127.0.0.1:1" },
    { kind: "pinecone", apiKey: "k", host: "http://127.0.0.1:1" },
  ];
  assert.deepEqual(configs.map((c) => c.kind).sort(), [...SINK_KINDS].sort());
  const deadLetters = {
    start: async () => {},
    add: async () => assert.fail("not used"),
    list: async () => [],
    get: async () => undefined,
    drop: async () => 0,
    stop: async () => {},
  };
  for (const raw of configs) {
    const sink = createSink(`s-${raw.kind}`, sinkConfigSchema.parse(raw), {
      logger: silentLogger(),
      flow: "f",
      deadLetters,
    });
    assert.equal(sink.name, `s-${raw.kind}`);
    const exactly = ["pgvector", "postgres", "redis"].includes(raw.kind);
    assert.equal(sink.guarantee, exactly ? "exactly-once" : "at-least-once");
    assert.equal(typeof sink.storedCheckpoint === "function", exactly);
  }
});

test("options are checked: durations, sizes, unknown keys, and a webhook needs a dead-letter store", () => {
  const webhook = sinkConfigSchema.parse({
    kind: "webhook",
    url: "https://x.test/h",
    secret: "0123456789abcdef",
    maxBytes: "64kb",
    timeout: "2s",
  });
  assert.equal(webhook.kind === "webhook" && webhook.maxBytes, 65536);
  assert.equal(webhook.kind === "webhook" && webhook.timeout, 2000);
  assert.equal(
    sinkConfigSchema.safeParse({
      kind: "webhook",
      url: "https://x.test",
      secret: "0123456789abcdef",
      timeout: "soon",
    }).success,
    false,
  );
  assert.equal(
    sinkConfigSchema.safeParse({ kind: "redis", url: "redis://x", typo: 1 }).success,
    false,
  );
  assert.equal(sinkConfigSchema.safeParse({ kind: "kafka" }).success, false);
  assert.throws(
    () => createSink("w", webhook, { logger: silentLogger(), flow: "f" }),
    /no dead-letter store/,
  );
});
