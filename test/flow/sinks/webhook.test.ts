import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import type { DeadLetterStore } from "../../../src/flow/sinks/index.ts";
import {
  createFileDeadLetterStore,
  createPostgresDeadLetterStore,
  createWebhookDelivery,
  createWebhookSink,
  replayDeadLetters,
  verifyWebhookSignature,
  webhookSinkOptions,
} from "../../../src/flow/sinks/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { batch, event, uniqueName } from "./support/events.ts";
import { type Answer, startReceiver } from "./support/receiver.ts";

const SECRET = "a-test-secret-of-32-characters!!";
const PG_URL = process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const logger = silentLogger();

function options(url: string, extra: Record<string, unknown> = {}) {
  return webhookSinkOptions.parse({
    kind: "webhook",
    url,
    secret: SECRET,
    retry: { initialDelay: "10ms", maxDelay: "50ms", maxAttempts: 5, maxElapsed: "5s" },
    ...extra,
  });
}

const insert = (id: number, lsn: bigint, seq = 0) =>
  event({ op: "insert", key: { id }, after: { id, name: `n${id}` }, lsn, seq });

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sophia-webhook-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fileStore(): DeadLetterStore {
  return createFileDeadLetterStore({ path: join(dir, `${uniqueName("dlq")}.jsonl`) });
}

describe("webhook sink", () => {
  test("a receiver failing 3 times then succeeding gets each batch once, in order, signed", async () => {
    const receiver = await startReceiver((n): Answer => ({ status: n < 3 ? 503 : 200 }));
    const store = fileStore();
    const sink = createWebhookSink("hook", options(receiver.url), {
      logger,
      flow: "f1",
      deadLetters: store,
    });
    try {
      await sink.start();
      await sink.write(batch([insert(1, 0x100n), insert(2, 0x100n, 1)]));
      await sink.write(batch([insert(3, 0x200n)]));
      assert.equal(receiver.requests.length, 5);
      const bodies = receiver.requests.map(
        (r) => JSON.parse(r.body) as Array<{ id: string; key: { id: number } }>,
      );
      // The first batch was retried whole (same body) before the second one went.
      for (const body of bodies.slice(0, 4))
        assert.deepEqual(
          body.map((e) => e.key.id),
          [1, 2],
        );
      assert.deepEqual(
        bodies[4]!.map((e) => e.key.id),
        [3],
      );
      for (const request of receiver.requests) {
        const signature = String(request.headers["x-sophia-signature"]);
        assert.ok(verifyWebhookSignature(SECRET, request.body, signature), "signature verifies");
        assert.equal(request.headers["content-type"], "application/json");
        assert.equal(request.headers["x-sophia-flow"], "f1");
      }
      const first = bodies[0]!;
      assert.equal(first[0]!.id, "public.items:100:0");
      assert.equal(
        receiver.requests[0]!.headers["idempotency-key"],
        "public.items:100:0..public.items:100:1",
      );
      assert.equal(
        receiver.requests[3]!.headers["idempotency-key"],
        receiver.requests[0]!.headers["idempotency-key"],
      );
      assert.deepEqual(await store.list(), []);
    } finally {
      await sink.stop();
      await receiver.close();
    }
  });

  test("the body carries LSNs as PostgreSQL prints them and splits at maxBatch", async () => {
    const receiver = await startReceiver(() => ({ status: 204 }));
    const sink = createWebhookSink("hook", options(receiver.url, { maxBatch: 2 }), {
      logger,
      flow: "f1",
      deadLetters: fileStore(),
    });
    try {
      await sink.start();
      await sink.write(
        batch([insert(1, 0x16b374d848n), insert(2, 0x16b374d848n, 1), insert(3, 0x16b374d848n, 2)]),
      );
      assert.equal(receiver.requests.length, 2);
      const body = JSON.parse(receiver.requests[0]!.body) as Array<Record<string, unknown>>;
      assert.equal(body[0]!.commitLsn, "16/B374D848");
      assert.deepEqual(body[0]!.after, { id: 1, name: "n1" });
      assert.equal((JSON.parse(receiver.requests[1]!.body) as unknown[]).length, 1);
    } finally {
      await sink.stop();
      await receiver.close();
    }
  });

  test("a 400 sends the batch to the dead-letter file, the stream moves on, and replay delivers it", async () => {
    let refuse = true;
    const receiver = await startReceiver((_n, req) =>
      refuse && req.body.includes('"id":1')
        ? { status: 400, body: "bad payload" }
        : { status: 200 },
    );
    const store = fileStore();
    const sink = createWebhookSink("hook", options(receiver.url), {
      logger,
      flow: "f1",
      deadLetters: store,
    });
    try {
      await sink.start();
      await sink.write(batch([insert(1, 0x100n)]));
      await sink.write(batch([insert(2, 0x200n)]));
      assert.equal(receiver.requests.length, 2, "a permanent refusal is not retried");
      const letters = await store.list({ flow: "f1" });
      assert.equal(letters.length, 1);
      assert.match(letters[0]!.reason, /HTTP 400: bad payload/);
      assert.equal(letters[0]!.attempts, 1);
      refuse = false;
      const delivery = createWebhookDelivery(options(receiver.url), { logger, flow: "f1" });
      const results = await replayDeadLetters(store, delivery, letters);
      await delivery.close();
      assert.deepEqual(results, [{ id: letters[0]!.id, delivered: true }]);
      const replayed = receiver.requests[2]!;
      assert.equal(replayed.body, receiver.requests[0]!.body);
      assert.equal(
        replayed.headers["idempotency-key"],
        receiver.requests[0]!.headers["idempotency-key"],
      );
      assert.deepEqual(await store.list(), []);
    } finally {
      await sink.stop();
      await receiver.close();
    }
  });

  test("Retry-After is waited even when backoff would be shorter", async () => {
    const receiver = await startReceiver((n) =>
      n === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 },
    );
    const sink = createWebhookSink("hook", options(receiver.url), {
      logger,
      flow: "f1",
      deadLetters: fileStore(),
      random: () => 0,
    });
    try {
      await sink.start();
      await sink.write(batch([insert(1, 0x100n)]));
      assert.equal(receiver.requests.length, 2);
      const waited = receiver.requests[1]!.at - receiver.requests[0]!.at;
      assert.ok(waited >= 950, `waited ${waited} ms, expected about 1000`);
    } finally {
      await sink.stop();
      await receiver.close();
    }
  });

  test("exhausted retries go to the Postgres dead-letter table; list and drop work", async () => {
    const schema = uniqueName("dlq");
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const store = createPostgresDeadLetterStore({ connectionString: PG_URL, schema });
    const receiver = await startReceiver(() => ({ status: 500, body: "down" }));
    const sink = createWebhookSink(
      "hook",
      options(receiver.url, { retry: { initialDelay: "5ms", maxDelay: "10ms", maxAttempts: 3 } }),
      { logger, flow: "f2", deadLetters: store },
    );
    try {
      await sink.start();
      await sink.write(batch([insert(7, 0x300n)]));
      assert.equal(receiver.requests.length, 3, "not retried forever");
      const [letter, ...rest] = await store.list({ flow: "f2", sink: "hook" });
      assert.equal(rest.length, 0);
      assert.match(letter!.reason, /^retries exhausted: HTTP 500: down/);
      assert.equal(letter!.attempts, 3);
      assert.equal(letter!.events[0]!.id, "public.items:300:0");
      assert.deepEqual((await store.get(letter!.id))?.idempotencyKey, letter!.idempotencyKey);
      assert.equal(await store.drop([letter!.id, "999999"]), 1);
      assert.deepEqual(await store.list({ flow: "f2" }), []);
    } finally {
      await sink.stop();
      await store.stop();
      await receiver.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });

  test("network errors are retried, then dead-lettered when retries run out", async () => {
    const receiver = await startReceiver(() => ({ status: 200 }));
    const url = receiver.url;
    await receiver.close();
    const store = fileStore();
    const sink = createWebhookSink(
      "hook",
      options(url, { retry: { initialDelay: "5ms", maxDelay: "5ms", maxAttempts: 2 } }),
      {
        logger,
        flow: "f1",
        deadLetters: store,
      },
    );
    try {
      await sink.start();
      await sink.write(batch([insert(1, 0x100n)]));
      const letters = await store.list();
      assert.equal(letters.length, 1);
      assert.match(letters[0]!.reason, /^retries exhausted: /);
    } finally {
      await sink.stop();
    }
  });
});
