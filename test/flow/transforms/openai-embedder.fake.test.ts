import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import {
  createOpenAiEmbedder,
  type OpenAiEmbedderOptions,
} from "../../../src/flow/embed/openai-embedder.ts";
import { isSophiaError } from "../../../src/shared/errors.ts";
import { type FakeEmbeddings, startFakeEmbeddings, vectorFor } from "./fake-embeddings-server.ts";

const KEY = "sk-test-secret-123";

function embedderFor(fake: { url: string }, overrides: Partial<OpenAiEmbedderOptions> = {}) {
  return createOpenAiEmbedder({
    url: fake.url,
    model: "text-embedding-3-small",
    apiKey: KEY,
    batchSize: 4,
    concurrency: 2,
    maxRetries: 3,
    timeoutMs: 5000,
    backoff: { baseMs: 10, maxMs: 2000 },
    ...overrides,
  });
}

async function withFake(
  options: Parameters<typeof startFakeEmbeddings>[0],
  body: (fake: FakeEmbeddings) => Promise<void>,
) {
  const fake = await startFakeEmbeddings(options);
  try {
    await body(fake);
  } finally {
    await fake.close();
  }
}

describe("openai-compatible embedder against a fake server", () => {
  it("fake: batches texts, keeps their order and sends the key as a Bearer token", async () => {
    await withFake({ dimensions: 4 }, async (fake) => {
      const texts = Array.from({ length: 10 }, (_, i) => `text number ${i}${"!".repeat(i)}`);
      const vectors = await embedderFor(fake).embed(texts);
      assert.deepEqual(
        vectors,
        texts.map((t) => vectorFor(t, 4)),
      );
      assert.deepEqual(
        fake.requests.map((r) => r.input.length),
        [4, 4, 2],
      );
      assert.ok(
        fake.requests.every(
          (r) => r.authorization === `Bearer ${KEY}` && r.model === "text-embedding-3-small",
        ),
      );
    });
  });

  it("fake: turns user:password in the URL into Basic auth when there is no key", async () => {
    await withFake({ dimensions: 2 }, async (fake) => {
      const url = fake.url.replace("http://", "http://ada:p%40ss@");
      await embedderFor({ url }, { apiKey: undefined }).embed(["a"]);
      assert.equal(
        fake.requests[0]?.authorization,
        `Basic ${Buffer.from("ada:p@ss").toString("base64")}`,
      );
    });
  });

  it("fake: never has more calls in flight at the server than the concurrency", async () => {
    await withFake({ dimensions: 2, delayMs: 40 }, async (fake) => {
      const embedder = embedderFor(fake, { batchSize: 1, concurrency: 3 });
      await embedder.embed(Array.from({ length: 12 }, (_, i) => `t${i}`));
      assert.equal(fake.requests.length, 12);
      assert.equal(fake.peakInFlight, 3);
    });
  });

  it("fake: waits as long as a 429's Retry-After asks, then succeeds", async () => {
    const script = (n: number) =>
      n === 1 ? { status: 429, headers: { "retry-after": "1" }, body: "slow down" } : undefined;
    await withFake({ dimensions: 3, script }, async (fake) => {
      const started = performance.now();
      const [vector] = await embedderFor(fake).embed(["hello"]);
      const elapsed = performance.now() - started;
      assert.deepEqual(vector, vectorFor("hello", 3));
      assert.equal(fake.requests.length, 2);
      assert.ok(elapsed >= 950 && elapsed < 4000, `waited ${elapsed} ms`);
    });
  });

  it("fake: a dimension mismatch is a clear error, not retried", async () => {
    await withFake({ dimensions: 4 }, async (fake) => {
      await assert.rejects(
        embedderFor(fake, { dimensions: 8 }).embed(["a"]),
        (error) =>
          isSophiaError(error, "FLOW_EMBED_FAILED") &&
          error.message.includes("4 dimensions") &&
          error.message.includes("expected 8") &&
          error.hint?.includes("provider.dimensions") === true,
      );
      assert.equal(fake.requests.length, 1);
    });
  });

  it("fake: learns the dimensions from the first answer when not configured", async () => {
    await withFake({ dimensions: 5 }, async (fake) => {
      const embedder = embedderFor(fake);
      assert.equal(embedder.dimensions, undefined);
      await embedder.embed(["a"]);
      assert.equal(embedder.dimensions, 5);
    });
  });

  it("fake: gives up on 503 after maxRetries, naming the endpoint and never the key", async () => {
    const script = () => ({ status: 503, body: `overloaded (key ${KEY})` });
    await withFake({ dimensions: 2, script }, async (fake) => {
      await assert.rejects(embedderFor(fake, { maxRetries: 2 }).embed(["a"]), (error) => {
        assert.ok(isSophiaError(error, "FLOW_EMBED_FAILED"));
        assert.match(
          error.message,
          new RegExp(`${fake.url}/embeddings failed after 3 attempts: HTTP 503`),
        );
        assert.ok(!error.message.includes(KEY) && !(error.hint ?? "").includes(KEY));
        return true;
      });
      assert.equal(fake.requests.length, 3);
    });
  });

  it("fake: does not retry a 401 and says to check the key", async () => {
    await withFake(
      { dimensions: 2, script: () => ({ status: 401, body: "bad key" }) },
      async (fake) => {
        await assert.rejects(
          embedderFor(fake).embed(["a"]),
          (e) => isSophiaError(e, "FLOW_EMBED_FAILED") && e.hint?.includes("apiKey") === true,
        );
        assert.equal(fake.requests.length, 1);
      },
    );
  });

  it("retries network errors (nothing listening) and then fails", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const embedder = embedderFor({ url: `http://user:pw@127.0.0.1:${port}/v1` }, { maxRetries: 1 });
    await assert.rejects(embedder.embed(["a"]), (e) => {
      assert.ok(isSophiaError(e, "FLOW_EMBED_FAILED"));
      assert.match(e.message, /after 2 attempts: network error/);
      assert.ok(!e.message.includes("pw@"), e.message);
      return true;
    });
  });

  it("fake: stops waiting when the caller aborts", async () => {
    const script = () => ({ status: 429, headers: { "retry-after": "30" } });
    await withFake({ dimensions: 2, script }, async (fake) => {
      const controller = new AbortController();
      const pending = embedderFor(fake, { backoff: { baseMs: 10, maxMs: 60_000 } }).embed(
        ["a"],
        controller.signal,
      );
      setTimeout(() => controller.abort(new Error("stopping")), 100);
      await assert.rejects(pending, /stopping|aborted/);
    });
  });
});
