/** The Weaviate sink (REST) against a fake Weaviate on 127.0.0.1 keeping objects in memory. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createWeaviateSink, weaviateSinkOptions } from "../../../src/flow/sinks/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";
import { batch, event } from "./support/events.ts";
import { type FakeRequest, startFake } from "./support/fake-http.ts";

type Props = Record<string, unknown>;
type Where = {
  operator: string;
  operands?: Where[];
  path?: string[];
  valueText?: string;
  valueInt?: number;
};

function holds(props: Props, w: Where): boolean {
  if (w.operator === "And") return (w.operands ?? []).every((o) => holds(props, o));
  const value = props[w.path![0]!];
  if (w.operator === "Equal") return value === (w.valueText ?? w.valueInt);
  if (w.operator === "GreaterThanEqual") return typeof value === "number" && value >= w.valueInt!;
  throw new Error(`fake does not know operator ${w.operator}`);
}

function fakeWeaviate() {
  const objects = new Map<string, { vector: number[]; properties: Props }>();
  let schema: unknown;
  const handle = (req: FakeRequest) => {
    const body = req.body as Record<string, unknown>;
    const patch = /^\/v1\/objects\/Docs\/([0-9a-f-]+)$/.exec(req.path);
    if (req.method === "PATCH" && patch !== null) {
      const found = objects.get(patch[1]!);
      if (found === undefined) return { status: 404 };
      Object.assign(found.properties, (body as { properties: Props }).properties);
      return { status: 204 };
    }
    switch (`${req.method} ${req.path}`) {
      case "GET /v1/schema/Docs":
        return schema === undefined ? { status: 404 } : { body: schema };
      case "POST /v1/schema":
        schema = body;
        return { body };
      case "POST /v1/batch/objects": {
        const list = body.objects as Array<{ id: string; vector: number[]; properties: Props }>;
        for (const o of list) objects.set(o.id, { vector: o.vector, properties: o.properties });
        return { body: list.map((o) => ({ id: o.id, result: {} })) };
      }
      case "DELETE /v1/batch/objects": {
        const where = (body.match as { where: Where }).where;
        for (const [id, o] of objects) if (holds(o.properties, where)) objects.delete(id);
        return { body: { results: {} } };
      }
      default:
        return {
          status: 404,
          body: { error: [{ message: `fake has no ${req.method} ${req.path}` }] },
        };
    }
  };
  return { objects, handle, schema: () => schema };
}

const doc = (id: number, lsn: bigint, n: number, seq = 0) =>
  event({
    op: "insert",
    key: { id },
    after: { id, body: "text", tag: "a" },
    lsn,
    seq,
    chunks: Array.from({ length: n }, (_, index) => ({
      index,
      text: `c${index}`,
      embedding: [id, index],
      contentHash: "h",
    })),
  });

test("weaviate sink against a fake Weaviate: class created, upsert, trim, metadata, delete, truncate", async () => {
  const weaviate = fakeWeaviate();
  const server = await startFake(weaviate.handle);
  const sink = createWeaviateSink(
    "vectors",
    weaviateSinkOptions.parse({
      kind: "weaviate",
      url: server.url,
      apiKey: "k",
      collection: "Docs",
      textColumns: ["body"],
    }),
    { logger: silentLogger(), flow: "f" },
  );
  try {
    await sink.start();
    assert.equal((weaviate.schema() as { vectorizer: string }).vectorizer, "none");
    await sink.write(batch([doc(1, 0x10n, 3), doc(2, 0x10n, 1, 1)]));
    await sink.write(batch([doc(1, 0x10n, 3), doc(2, 0x10n, 1, 1)]));
    assert.equal(weaviate.objects.size, 4);
    assert.equal(server.requests.at(-1)!.headers.authorization, "Bearer k");
    const first = [...weaviate.objects.values()][0]!;
    assert.deepEqual(first.properties, {
      sophiaTable: "public.items",
      sophiaKey: '{"id":1}',
      sophiaChunk: 0,
      sophiaLsn: "0/10",
      content: "c0",
      metadata: '{"id":1,"tag":"a"}',
    });
    await sink.write(batch([doc(1, 0x20n, 1)]));
    assert.equal(weaviate.objects.size, 2, "key 1 trimmed to one chunk");
    await sink.write(
      batch([
        event({
          op: "update",
          key: { id: 2 },
          after: { id: 2, tag: "b" },
          lsn: 0x30n,
          chunksUnchanged: true,
        }),
      ]),
    );
    const two = [...weaviate.objects.values()].find((o) => o.properties.sophiaKey === '{"id":2}');
    assert.equal(two?.properties.metadata, '{"id":2,"tag":"b"}');
    await sink.write(batch([event({ op: "delete", key: { id: 2 }, lsn: 0x40n })]));
    assert.equal(weaviate.objects.size, 1);
    await sink.write(batch([event({ op: "truncate", key: {}, lsn: 0x50n })]));
    assert.equal(weaviate.objects.size, 0);
  } finally {
    await sink.stop();
    await server.close();
  }
});
