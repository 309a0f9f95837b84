// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the secret reference syntax the export writes
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { isSophiaError } from "../../shared/errors.ts";
import { estuaryCatalog } from "./estuary.ts";
import type { FlowSpecForExport } from "./spec.ts";

const GOLDEN = join(import.meta.dirname, "testdata/estuary.golden.yaml");

const docs = {
  schema: "public",
  table: "docs",
  key: ["id"],
  columns: [
    { name: "id", type: "bigint", nullable: false },
    { name: "title", type: "text", nullable: false },
    { name: "body", type: "text", nullable: true },
    { name: "tags", type: "text[]", nullable: true },
    { name: "meta", type: "jsonb", nullable: true },
    { name: "updated_at", type: "timestamp with time zone", nullable: false },
  ],
};
const lines = {
  schema: "sales",
  table: "order_lines",
  key: ["order_id", "line"],
  columns: [
    { name: "order_id", type: "uuid", nullable: false },
    { name: "line", type: "int4", nullable: false },
    { name: "amount", type: "numeric(12,2)", nullable: false },
  ],
};

function flows(): FlowSpecForExport[] {
  return [
    {
      name: "orders",
      source: {
        address: "db.internal:5432",
        database: "shop",
        user: "replicator",
        passwordSecret: "SHOP_PG_PASSWORD",
      },
      tables: [lines],
      sinks: [
        { kind: "nats", name: "bus" },
        {
          kind: "webhook",
          name: "billing",
          url: "https://hooks.example.com/cdc/orders?v=2",
          headers: { "x-source": "sophia" },
          secretHeaders: { authorization: "BILLING_TOKEN" },
        },
      ],
    },
    {
      name: "knowledge",
      source: {
        address: "db.internal:5432",
        database: "shop",
        user: "replicator",
        passwordSecret: "SHOP_PG_PASSWORD",
      },
      tables: [docs],
      sinks: [
        {
          kind: "pgvector",
          name: "vectors",
          address: "vectors.internal:5432",
          database: "rag",
          user: "writer",
          passwordSecret: "RAG_PG_PASSWORD",
          schema: "rag",
          targets: { "public.docs": "doc_rows" },
        },
        {
          kind: "postgres",
          name: "replica",
          address: "replica:5432",
          database: "copy",
          user: "w",
          passwordSecret: "COPY_PW",
        },
      ],
    },
  ];
}

describe("estuaryCatalog", () => {
  it("matches the golden file", () => {
    const text = estuaryCatalog(flows(), { prefix: "acme/prod" });
    if (process.env.SOPHIA_UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, text);
    assert.equal(text, readFileSync(GOLDEN, "utf8"));
  });

  it("is deterministic whatever the order of flows, tables and sinks", () => {
    const reversed = flows()
      .reverse()
      .map((f) => ({ ...f, tables: [...f.tables].reverse(), sinks: [...f.sinks].reverse() }));
    assert.equal(
      estuaryCatalog(reversed, { prefix: "acme/prod" }),
      estuaryCatalog(flows(), { prefix: "acme/prod" }),
    );
  });

  it("has Estuary's shape: collections with pointer keys, captures and materializations with bindings", () => {
    const catalog = parse(estuaryCatalog(flows(), { prefix: "acme/prod" }));
    assert.deepEqual(Object.keys(catalog.collections), [
      "acme/prod/docs",
      "acme/prod/sales/order_lines",
    ]);
    assert.deepEqual(catalog.collections["acme/prod/sales/order_lines"].key, [
      "/order_id",
      "/line",
    ]);
    const capture = catalog.captures["acme/prod/orders/source-postgres"];
    assert.equal(capture.endpoint.connector.image, "ghcr.io/estuary/source-postgres:dev");
    assert.deepEqual(capture.bindings, [
      {
        resource: { namespace: "sales", stream: "order_lines" },
        target: "acme/prod/sales/order_lines",
      },
    ]);
    assert.deepEqual(Object.keys(catalog.materializations), [
      "acme/prod/knowledge/replica",
      "acme/prod/knowledge/vectors",
      "acme/prod/orders/billing",
    ]);
    const hook = catalog.materializations["acme/prod/orders/billing"];
    assert.equal(hook.endpoint.connector.config.address, "https://hooks.example.com/");
    assert.deepEqual(hook.bindings[0], {
      resource: { relativePath: "cdc/orders?v=2" },
      source: "acme/prod/sales/order_lines",
    });
    assert.deepEqual(catalog.materializations["acme/prod/knowledge/vectors"].bindings[0].resource, {
      table: "doc_rows",
    });
  });

  it("writes secrets as references only", () => {
    const text = estuaryCatalog(flows(), { prefix: "acme/prod" });
    const catalog = parse(text);
    assert.equal(
      catalog.captures["acme/prod/knowledge/source-postgres"].endpoint.connector.config.password,
      "${SHOP_PG_PASSWORD}",
    );
    assert.match(text, /value: \$\{BILLING_TOKEN\}/);
    assert.match(text, /# Note: flow orders, sink bus: a nats sink has no Estuary materialization/);
  });

  it("refuses a bad prefix and one collection name with two shapes", () => {
    assert.throws(
      () => estuaryCatalog(flows(), { prefix: "acme prod" }),
      (e) => isSophiaError(e, "CONFIG_INVALID"),
    );
    const [orders] = flows();
    const clash = { ...orders!, name: "again", tables: [{ ...lines, key: ["order_id"] }] };
    assert.throws(
      () => estuaryCatalog([orders!, clash], { prefix: "acme" }),
      (e) => isSophiaError(e, "CONFIG_INVALID") && e.message.includes("acme/sales/order_lines"),
    );
  });
});
