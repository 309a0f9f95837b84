/** The Qdrant sink against a fake Qdrant (HTTP on 127.0.0.1) keeping points in memory. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createQdrantSink, qdrantSinkOptions } from "../../../src/flow/sinks/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { batch, event } from "./support/events.ts";
import { type FakeRequest, startFake } from "./support/fake-http.ts";

type Payload = Record<string, unknown>;
type Condition = {
  key?: string;
  match?: { value: unknown };
  range?: { gte: number };
  must?: Condition[];
};
type Filter = { must?: Condition[]; should?: Condition[] };

function matches(payload: Payload, c: Condition): boolean {
  if (c.must !== undefined) return c.must.every((m) => matches(payload, m));
  const value = payload[c.key!];
  if (c.match !== undefined) return value === c.match.value;
  return typeof value === "number" && value >= (c.range?.gte ?? 0);
}

function selects(payload: Payload, filter: Filter): boolean {
  if (filter.must !== undefined && !filter.must.every((c) => matches(payload, c))) return false;
  if (filter.should !== undefined && !filter.should.some((c) => matches(payload, c))) return false;
  return true;
}

function fakeQdrant() {
  const points = new Map<string, { vector: number[]; payload: Payload }>();
  let created: unknown;
  const handle = (req: FakeRequest) => {
    const body = req.body as Record<string, unknown>;
    const route = `${req.method} ${req.path.replace(/^\/collections\/docs/, "")}`;
    switch (route) {
      case "GET /exists":
        return { body: { result: { exists: created !== undefined } } };
      case "PUT ":
        created = body;
        return { body: { result: true } };
      case "PUT /index":
        return { body: { result: { status: "acknowledged" } } };
      case "PUT /points":
        for (const p of body.points as Array<{ id: string; vector: number[]; payload: Payload }>) {
          points.set(p.id, { vector: p.vector, payload: p.payload });
        }
        return { body: { result: { status: "completed" } } };
      case "POST /points/delete":
        for (const [id, p] of points)
          if (selects(p.payload, body.filter as Filter)) points.delete(id);
        return { body: { result: { status: "completed" } } };
      case "POST /points/payload":
        for (const p of points.values()) {
          if (selects(p.payload, body.filter as Filter)) Object.assign(p.payload, body.payload);
        }
        return { body: { result: { status: "completed" } } };
      default:
        return { status: 404, body: { status: { error: `fake has no ${route}` } } };
    }
  };
  return { points, handle, created: () => created };
}

const doc = (id: number, lsn: bigint, n: number, seq = 0) =>
  event({
    op: "insert",
    key: { id },
    after: { id, body: "text", tag: `t${lsn}` },
    lsn,
    seq,
    chunks: Array.from({ length: n }, (_, index) => ({
      index,
      text: `c${index}`,
      embedding: [id, index],
      contentHash: "h",
    })),
  });

test("qdrant sink against a fake Qdrant: upsert, trim, metadata-only, delete, truncate", async () => {
  const qdrant = fakeQdrant();
  const server = await startFake(qdrant.handle);
  const sink = createQdrantSink(
    "vectors",
    qdrantSinkOptions.parse({
      kind: "qdrant",
      url: server.url,
      collection: "docs",
      dimensions: 2,
      textColumns: ["body"],
    }),
    { logger: silentLogger(), flow: "f" },
  );
  try {
    await sink.start();
    assert.deepEqual(qdrant.created(), { vectors: { size: 2, distance: "Cosine" } });
    await sink.write(batch([doc(1, 0x10n, 3), doc(2, 0x10n, 1, 1)]));
    await sink.write(batch([doc(1, 0x10n, 3), doc(2, 0x10n, 1, 1)])); // retried: same ids, no duplicates
    assert.equal(qdrant.points.size, 4);
    for (const id of qdrant.points.keys())
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const payload = [...qdrant.points.values()][0]!.payload;
    assert.deepEqual(payload, {
      id: 1,
      tag: "t16",
      sophia_table: "public.items",
      sophia_key: '{"id":1}',
      sophia_chunk: 0,
      sophia_lsn: "0/10",
      content: "c0",
      content_hash: "h",
    });
    await sink.write(batch([doc(1, 0x20n, 1)]));
    assert.equal(qdrant.points.size, 2, "key 1 trimmed to one chunk");
    await sink.write(
      batch([
        event({
          op: "update",
          key: { id: 2 },
          after: { id: 2, body: "text", tag: "new" },
          lsn: 0x30n,
          chunksUnchanged: true,
        }),
      ]),
    );
    const two = [...qdrant.points.values()].find((p) => p.payload.sophia_key === '{"id":2}');
    assert.equal(two?.payload.tag, "new");
    assert.deepEqual(two?.vector, [2, 0]);
    await sink.write(batch([event({ op: "delete", key: { id: 2 }, lsn: 0x40n })]));
    assert.equal(qdrant.points.size, 1);
    await sink.write(batch([event({ op: "truncate", key: {}, lsn: 0x50n })]));
    assert.equal(qdrant.points.size, 0);
  } finally {
    await sink.stop();
    await server.close();
  }
});
