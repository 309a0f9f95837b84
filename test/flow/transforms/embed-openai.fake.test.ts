import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createEmbed } from "../../../src/flow/embed/index.ts";
import { testEvent } from "../../../src/flow/transforms/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { startFakeEmbeddings, vectorFor } from "./fake-embeddings-server.ts";

describe("embed transform configured with an openai-compatible provider", () => {
  it("fake: embeds a batch's chunks through the endpoint in configured batches", async () => {
    const fake = await startFakeEmbeddings({ dimensions: 6 });
    try {
      const embed = createEmbed(
        {
          fields: ["title", "body"],
          chunk: { size: 50, overlap: 0 },
          provider: {
            type: "openai-compatible",
            url: fake.url,
            model: "m",
            apiKey: "k",
            dimensions: 6,
            batchSize: 2,
          },
        },
        { logger: silentLogger() },
      );
      const body = "First sentence of the body. Second sentence of the body. Third one.";
      const out = await embed.apply([
        testEvent({ key: { id: 1 }, after: { id: 1, title: "A", body } }),
        testEvent({ key: { id: 2 }, after: { id: 2, title: "B" } }),
      ]);
      const chunks = out.flatMap((e) => e.chunks ?? []);
      assert.ok(chunks.length >= 3);
      for (const chunk of chunks) assert.deepEqual(chunk.embedding, vectorFor(chunk.text, 6));
      assert.ok(fake.requests.every((r) => r.input.length <= 2 && r.authorization === "Bearer k"));
      assert.equal(fake.requests.flatMap((r) => r.input).length, chunks.length);
      await embed.stop?.();
    } finally {
      await fake.close();
    }
  });
});
