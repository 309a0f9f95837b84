/** The Pinecone sink (official client) against a fake Pinecone data plane on 127.0.0.1. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createPineconeSink, pineconeSinkOptions } from "../../../src/flow/sinks/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { batch, event } from "./support/events.ts";
import { type FakeRequest, startFake } from "./support/fake-http.ts";

type Record_ = { id: string; values: number[]; metadata: Record<string, unknown> };

function fakePinecone() {
  const records = new Map<string, Record_>();
  const handle = (req: FakeRequest) => {
    const body = req.body as Record<string, unknown>;
    switch (`${req.method} ${req.path}`) {
      case "POST /vectors/upsert":
        for (const r of body.vectors as Record_[]) records.set(r.id, r);
        return { body: { upsertedCount: (body.vectors as unknown[]).length } };
      case "POST /vectors/delete":
        for (const id of body.ids as string[]) records.delete(id);
        return { body: {} };
      case "GET /vectors/list": {
        // Two ids per page, to exercise pagination.
        const prefix = req.query.get("prefix") ?? "";
        const all = [...records.keys()].filter((id) => id.startsWith(prefix)).sort();
        const start = Number(req.query.get("paginationToken") ?? 0);
        const next = start + 2 < all.length ? { next: String(start + 2) } : undefined;
        return {
          body: {
            vectors: all.slice(start, start + 2).map((id) => ({ id })),
            pagination: next,
            namespace: "",
          },
        };
      }
      case "POST /vectors/update": {
        const record = records.get(body.id as string);
        if (record !== undefined) Object.assign(record.metadata, body.setMetadata);
        return { body: {} };
      }
      default:
        return {
          status: 404,
          body: { error: { code: "NOT_FOUND", message: `fake has no ${req.method} ${req.path}` } },
        };
    }
  };
  return { records, handle };
}

const doc = (id: number, lsn: bigint, n: number, seq = 0) =>
  event({
    op: "insert",
    key: { id },
    after: { id, body: "text", tags: ["a"], extra: { x: 1 }, gone: null },
    lsn,
    seq,
    chunks: Array.from({ length: n }, (_, index) => ({
      index,
      text: `c${index}`,
      embedding: [id, index],
      contentHash: "h",
    })),
  });

test("pinecone sink against a fake Pinecone: upsert, trim by id prefix, metadata update, delete, truncate", async () => {
  const pinecone = fakePinecone();
  const server = await startFake(pinecone.handle);
  const sink = createPineconeSink(
    "vectors",
    pineconeSinkOptions.parse({
      kind: "pinecone",
      apiKey: "fake-key",
      host: server.url,
      textColumns: ["body"],
    }),
    { logger: silentLogger(), flow: "f" },
  );
  try {
    await sink.start();
    await sink.write(batch([doc(1, 0x10n, 5), doc(2, 0x10n, 1, 1)]));
    await sink.write(batch([doc(1, 0x10n, 5), doc(2, 0x10n, 1, 1)]));
    assert.equal(pinecone.records.size, 6);
    assert.equal(server.requests[0]!.headers["api-key"], "fake-key");
    const first = [...pinecone.records.values()].find(
      (r) => r.metadata.sophia_key === '{"id":1}' && r.metadata.sophia_chunk === 0,
    );
    assert.deepEqual(first?.metadata, {
      id: 1,
      tags: ["a"],
      extra: '{"x":1}',
      sophia_table: "public.items",
      sophia_key: '{"id":1}',
      sophia_chunk: 0,
      sophia_lsn: "0/10",
      content: "c0",
    });
    await sink.write(batch([doc(1, 0x20n, 2)]));
    assert.equal(pinecone.records.size, 3, "key 1 trimmed from 5 chunks to 2");
    await sink.write(
      batch([
        event({
          op: "update",
          key: { id: 1 },
          after: { id: 1, body: "text", tags: ["b"] },
          lsn: 0x30n,
          chunksUnchanged: true,
        }),
      ]),
    );
    const ones = [...pinecone.records.values()].filter((r) => r.metadata.sophia_key === '{"id":1}');
    assert.deepEqual(
      ones.map((r) => r.metadata.tags),
      [["b"], ["b"]],
    );
    await sink.write(batch([event({ op: "delete", key: { id: 1 }, lsn: 0x40n })]));
    assert.equal(pinecone.records.size, 1);
    await sink.write(batch([event({ op: "truncate", key: {}, lsn: 0x50n })]));
    assert.equal(pinecone.records.size, 0);
  } finally {
    await sink.stop();
    await server.close();
  }
});
