import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import pg from "pg";
import type { FlowSpec } from "../config/types.ts";
import { connectionParts, exportSpecsFromConfig, secretName } from "./from-config.ts";

const PG_URL = process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function flowOn(url: string, table: string, columns?: string[]): FlowSpec {
  return {
    name: "orders-flow",
    source: {
      connectionString: url,
      tables: [{ table, ...(columns ? { columns } : {}) }],
      slot: "s",
      publication: "p",
    },
    transforms: [],
    sinks: [
      {
        name: "hook",
        kind: "webhook",
        options: {
          url: "https://example.com/in?x=1",
          secret: "0123456789abcdef0123",
          headers: { Authorization: "Bearer very-secret", "X-Team": "data" },
        },
        path: ["flows", "orders-flow", "sinks", "hook", "webhook"],
      },
      {
        name: "replica",
        kind: "postgres",
        options: {
          connectionString: "postgres://rep:pw@db2:6543/rep",
          schema: "r",
          table: "c_{table}",
        },
        path: ["flows", "orders-flow", "sinks", "replica", "postgres"],
      },
      { name: "bus", kind: "nats", options: { servers: "nats://x" }, path: [] },
    ],
    batch: { size: 1, maxWaitMs: 1 },
    queueBatches: 1,
    heartbeatMs: 0,
    walBudget: { maxBytes: undefined, policy: "alert", checkEveryMs: 1 },
    state: { kind: "file", dir: "." },
    backfill: { tables: [], chunkSize: 1 },
    distributed: undefined,
  };
}

test("connection URLs lose their password; secrets get stable names", () => {
  assert.deepEqual(connectionParts("postgres://app:hunter2@db.local:6000/shop", "S"), {
    address: "db.local:6000",
    database: "shop",
    user: "app",
    passwordSecret: "S",
  });
  assert.equal(secretName("orders-flow", "source"), "SOPHIA_ORDERS_FLOW_SOURCE_PASSWORD");
});

test("a real table's types, nullability and composite key reach the export spec", async () => {
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  const name = `exp_${randomBytes(4).toString("hex")}`;
  try {
    await db.query(`CREATE TABLE public.${name} (
      tenant int NOT NULL, id bigint NOT NULL, title text, tags text[], price numeric(10,2) NOT NULL,
      at timestamptz, PRIMARY KEY (tenant, id))`);
    const [spec] = await exportSpecsFromConfig([flowOn(PG_URL, `public.${name}`)]);
    assert.ok(spec);
    assert.deepEqual(spec.tables[0], {
      schema: "public",
      table: name,
      key: ["tenant", "id"],
      columns: [
        { name: "tenant", type: "integer", nullable: false },
        { name: "id", type: "bigint", nullable: false },
        { name: "title", type: "text", nullable: true },
        { name: "tags", type: "text[]", nullable: true },
        { name: "price", type: "numeric(10,2)", nullable: false },
        { name: "at", type: "timestamp with time zone", nullable: true },
      ],
    });
    assert.equal(spec.source.passwordSecret, "SOPHIA_ORDERS_FLOW_SOURCE_PASSWORD");
    assert.deepEqual(spec.sinks[0], {
      kind: "webhook",
      name: "hook",
      url: "https://example.com/in?x=1",
      headers: { "X-Team": "data" },
      secretHeaders: { Authorization: "SOPHIA_ORDERS_FLOW_HOOK_AUTHORIZATION" },
    });
    assert.deepEqual(spec.sinks[1], {
      kind: "postgres",
      name: "replica",
      address: "db2:6543",
      database: "rep",
      user: "rep",
      passwordSecret: "SOPHIA_ORDERS_FLOW_REPLICA_PASSWORD",
      schema: "r",
      targets: { [`public.${name}`]: `c_${name}` },
    });
    assert.deepEqual(spec.sinks[2], { kind: "nats", name: "bus" });
    assert.ok(!JSON.stringify(spec).includes("very-secret"), "secret header values never copied");
    assert.ok(!JSON.stringify(spec).includes(":pw@"), "passwords never copied");

    const [narrow] = await exportSpecsFromConfig([flowOn(PG_URL, `public.${name}`, ["title"])]);
    assert.deepEqual(
      narrow?.tables[0]?.columns.map((c) => c.name),
      ["tenant", "id", "title"],
      "a column list keeps the key columns",
    );
    await assert.rejects(exportSpecsFromConfig([flowOn(PG_URL, `public.${name}_missing`)]), {
      code: "FLOW_SOURCE_NOT_READY",
    });
  } finally {
    await db.query(`DROP TABLE IF EXISTS public.${name}`);
    await db.end();
  }
});
