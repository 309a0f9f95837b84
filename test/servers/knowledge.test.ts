import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { type FixtureDoc, writeDocs } from "./knowledge-fixture.ts";
import { type BuiltinGateway, callJson, startBuiltinGateway } from "./support.ts";

const LONG =
  "Logical replication slots keep WAL until the consumer confirms it. A slot nobody reads " +
  "holds the disk: watch pg_replication_slots and drop abandoned ones before the volume fills.";
const DOCS: FixtureDoc[] = [
  {
    table: "public.articles",
    key: { id: 1 },
    chunks: [LONG.slice(0, 120), LONG.slice(100)],
    metadata: { id: 1, category: "ops" },
  },
  {
    table: "public.articles",
    key: { id: 2 },
    chunks: ["Bread baking: flour, water, salt and a long cold fermentation."],
    metadata: { id: 2, category: "food" },
  },
  {
    table: "public.articles",
    key: { id: 3 },
    chunks: ["Monitoring replication lag with pg_stat_replication and alerts."],
    metadata: { id: 3, category: "ops" },
  },
  {
    table: "crm.notes",
    key: { id: 7 },
    chunks: ["Customer asked about replication of their invoices to the warehouse."],
    metadata: { id: 7, category: "sales" },
  },
];

let dataDir: string;
let served: BuiltinGateway;

type Hit = { id: string; collection: string; key: string; text: string; score: number };
const search = async (args: Record<string, unknown>) => {
  const answer = await callJson(served.client, "knowledge__search", args);
  assert.equal(answer.isError, false, answer.text);
  return (answer.value as { results: Hit[] }).results;
};

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sophia-knowledge-"));
  const db = await PGlite.create({ dataDir, extensions: { vector } });
  await writeDocs(db, "public.sophia_embeddings", DOCS);
  await db.close();
  served = await startBuiltinGateway({ knowledge: { builtin: "knowledge", options: { dataDir } } });
});

after(async () => {
  await served?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("knowledge built-in over the embedded PGlite, through the gateway", () => {
  test("hybrid search ranks the matching document first, one hit per document", async () => {
    const results = await search({ query: "logical replication slots WAL" });
    assert.equal(results[0]?.id, 'public.articles:{"id":1}');
    assert.equal(results[0]?.collection, "public.articles");
    assert.equal(new Set(results.map((r) => r.id)).size, results.length);
    assert.ok(results.every((r) => r.score > 0));
  });

  test("vector and text modes, topK, filter and collection", async () => {
    for (const mode of ["vector", "text"]) {
      const results = await search({ query: "bread fermentation", mode, topK: 1 });
      assert.deepEqual(
        results.map((r) => r.id),
        ['public.articles:{"id":2}'],
        mode,
      );
    }
    const ops = await search({ query: "replication", filter: { category: "ops" }, topK: 10 });
    assert.deepEqual(ops.map((r) => r.id).sort(), [
      'public.articles:{"id":1}',
      'public.articles:{"id":3}',
    ]);
    const crm = await search({ query: "replication", collection: "notes", topK: 10 });
    assert.deepEqual(
      crm.map((r) => r.id),
      ['crm.notes:{"id":7}'],
    );
    const tooMany = await served.client.callTool({
      name: "knowledge__search",
      arguments: { query: "x", topK: 51 },
    });
    assert.equal(tooMany.isError, true);
  });

  test("fetch joins a document's chunks without their overlap", async () => {
    const answer = await callJson(served.client, "knowledge__fetch", {
      id: 'public.articles:{"id":1}',
    });
    assert.equal(answer.isError, false, answer.text);
    const doc = answer.value as { text: string; chunks: number; metadata: unknown };
    assert.equal(doc.text, LONG);
    assert.equal(doc.chunks, 2);
    assert.deepEqual(doc.metadata, { id: 1, category: "ops" });
    const missing = await callJson(served.client, "knowledge__fetch", {
      id: 'public.articles:{"id":99}',
    });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /no document/);
  });

  test("list_collections counts documents and chunks per source table", async () => {
    const answer = await callJson(served.client, "knowledge__list_collections", {});
    const collections = (answer.value as { collections: { name: string }[] }).collections;
    assert.deepEqual(
      collections.map(({ name, documents, chunks }: Record<string, unknown>) => ({
        name,
        documents,
        chunks,
      })),
      [
        { name: "crm.notes", documents: 1, chunks: 1 },
        { name: "public.articles", documents: 3, chunks: 4 },
      ],
    );
  });
});
