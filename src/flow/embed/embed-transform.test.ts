import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { silentLogger } from "../../shared/logger.ts";
import { testEvent } from "../transforms/test-event.ts";
import { createEmbed } from "./embed-transform.ts";
import type { Embedder } from "./embedder.ts";
import { createLocalEmbedder } from "./local-embedder.ts";
import { embedOptionsSchema } from "./options.ts";

function counting(): Embedder & { calls: string[][] } {
  const local = createLocalEmbedder(32);
  const calls: string[][] = [];
  return {
    name: local.name,
    dimensions: 32,
    calls,
    embed: (texts) => {
      calls.push(texts);
      return local.embed(texts);
    },
  };
}

const logger = silentLogger();

describe("embed transform", () => {
  it("chunks and embeds inserts in one provider call per batch, passing deletes untouched", async () => {
    const embedder = counting();
    const embed = createEmbed(
      { fields: ["title", "body"], chunk: { size: 60, overlap: 10 } },
      { logger, embedder },
    );
    const long = "Sentence one is here. Sentence two follows it. Sentence three ends the text.";
    const remove = testEvent({ op: "delete", before: { id: 9 } });
    const out = await embed.apply([
      testEvent({ after: { id: 1, title: "T", body: long } }),
      remove,
      testEvent({ after: { id: 2, title: "Short" } }),
    ]);
    assert.equal(embedder.calls.length, 1);
    assert.equal(out[1], remove);
    const chunks = out[0]?.chunks ?? [];
    assert.ok(chunks.length >= 2, `chunks ${chunks.length}`);
    assert.deepEqual(
      chunks.map((c) => c.index),
      chunks.map((_, i) => i),
    );
    assert.ok(
      chunks.every((c) => c.embedding.length === 32 && c.contentHash === chunks[0]?.contentHash),
    );
    assert.equal(out[0]?.chunksUnchanged, false);
    assert.deepEqual(
      out[2]?.chunks?.map((c) => c.text),
      ["title: Short"],
    );
    assert.deepEqual(embed.counts, {
      embeddedRows: 2,
      unchangedRows: 0,
      chunks: chunks.length + 1,
    });
  });

  it("does not call the provider when the content did not change", async () => {
    const embedder = counting();
    const embed = createEmbed({ fields: ["body"] }, { logger, embedder });
    const update = testEvent({
      op: "update",
      before: { id: 1, body: "b" },
      after: { id: 1, body: "b", n: 2 },
    });
    const toast = testEvent({ op: "update", after: { id: 1, n: 3 }, unchanged: ["body"] });
    const out = await embed.apply([update, toast]);
    assert.equal(embedder.calls.length, 0);
    assert.ok(out.every((e) => e.chunksUnchanged === true && e.chunks === undefined));
  });

  it("skips rows whose stored hash matches, asking with table and key", async () => {
    const embedder = counting();
    const first = createEmbed({ fields: ["body"] }, { logger, embedder });
    const [embedded] = await first.apply([
      testEvent({ key: { id: 1 }, after: { id: 1, body: "same" } }),
    ]);
    const stored = embedded?.chunks?.[0]?.contentHash;
    const asked: unknown[] = [];
    const lookup = async (table: string, key: Record<string, unknown>) => {
      asked.push([table, key]);
      return key.id === 1 ? stored : "other";
    };
    const again = createEmbed({ fields: ["body"] }, { logger, embedder, lookup });
    const out = await again.apply([
      testEvent({ op: "read", key: { id: 1 }, after: { id: 1, body: "same" } }),
      testEvent({ op: "read", key: { id: 2 }, after: { id: 2, body: "same" } }),
    ]);
    assert.equal(out[0]?.chunksUnchanged, true);
    assert.equal(out[1]?.chunks?.length, 1);
    assert.deepEqual(asked, [
      ["public.docs", { id: 1 }],
      ["public.docs", { id: 2 }],
    ]);
    assert.deepEqual(embedder.calls.at(-1), ["body: same"]);
  });

  it("gives a row whose fields are all empty no chunks, so sinks remove old ones", async () => {
    const embed = createEmbed({ fields: ["body"] }, { logger, embedder: counting() });
    const [out] = await embed.apply([testEvent({ after: { id: 1, body: "   " } })]);
    assert.deepEqual(out?.chunks, []);
  });

  it("changes the hash when the model or chunking changes", async () => {
    const event = testEvent({ after: { id: 1, body: "text" } });
    const hashOf = async (size: number) =>
      (
        await createEmbed({ fields: ["body"], chunk: { size, overlap: 0 } }, { logger }).apply([
          event,
        ])
      )[0]?.chunks?.[0]?.contentHash;
    assert.notEqual(await hashOf(100), await hashOf(200));
  });
});

describe("embed options", () => {
  it("defaults to the local provider and ~1000/100 chunks", () => {
    const parsed = embedOptionsSchema.parse({ fields: ["title"] });
    assert.deepEqual(parsed.provider, { type: "local", dimensions: 384 });
    assert.deepEqual(parsed.chunk, { size: 1000, overlap: 100 });
    assert.deepEqual(
      embedOptionsSchema.parse({ fields: ["t"], provider: "local" }).provider,
      parsed.provider,
    );
  });

  it("reads the openai-compatible provider with durations and defaults", () => {
    const parsed = embedOptionsSchema.parse({
      fields: ["t"],
      provider: {
        type: "openai-compatible",
        url: "http://127.0.0.1:11434/v1",
        model: "nomic-embed-text",
        timeout: "10s",
      },
    });
    assert.deepEqual(parsed.provider, {
      type: "openai-compatible",
      url: "http://127.0.0.1:11434/v1",
      model: "nomic-embed-text",
      batchSize: 64,
      concurrency: 2,
      maxRetries: 5,
      timeout: 10_000,
    });
  });

  it("refuses a large overlap, unknown keys and bad URLs", () => {
    assert.equal(
      embedOptionsSchema.safeParse({ fields: ["t"], chunk: { size: 100, overlap: 60 } }).success,
      false,
    );
    assert.equal(embedOptionsSchema.safeParse({ fields: ["t"], chunks: {} }).success, false);
    const badUrl = { type: "openai-compatible", url: "ftp://x", model: "m" };
    assert.equal(embedOptionsSchema.safeParse({ fields: ["t"], provider: badUrl }).success, false);
  });
});
