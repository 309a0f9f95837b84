import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { generateApiKey } from "../../../src/gateway/auth/api-key.ts";
import { PgKeyStore } from "../../../src/gateway/auth/pg-key-store.ts";
import { rpc, startSecured } from "./support.ts";

const PG_URL = process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

describe("PostgreSQL key store (real PostgreSQL, own schema)", () => {
  const schema = `keys_${randomBytes(5).toString("hex")}`;
  let admin: PgKeyStore;
  let gw: Awaited<ReturnType<typeof startSecured>> | undefined;

  before(() => {
    admin = new PgKeyStore({ url: PG_URL, schema, cacheTtlMs: 0 });
  });
  after(async () => {
    await gw?.stop();
    await admin.close();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  test("add, get, list and revoke by id or name; one active key per name", async () => {
    const a = generateApiKey({ name: "a", scopes: ["mcp"], roles: ["admin"] });
    const b = generateApiKey({ name: "b", expiresAt: new Date(Date.now() + 60_000) });
    await admin.add(a.record);
    await admin.add(b.record);
    assert.deepEqual(await admin.get(a.record.id), a.record);
    assert.equal(await admin.get("nosuchid0000"), undefined);
    assert.deepEqual((await admin.list()).map((k) => k.name).sort(), ["a", "b"]);
    await assert.rejects(admin.add(generateApiKey({ name: "a" }).record), /already exists/);
    assert.equal((await admin.revoke("a")).id, a.record.id);
    assert.equal((await admin.revoke(b.record.id)).name, "b");
    await assert.rejects(admin.revoke("a"), /no API key with id or name "a"/);
    await admin.add(generateApiKey({ name: "a" }).record); // a revoked name is free again
    assert.ok((await admin.get(a.record.id))?.revoked);
  });

  test("a running gateway refuses a key revoked elsewhere within the cache TTL", async () => {
    const made = generateApiKey({ name: "live" });
    await admin.add(made.record);
    gw = await startSecured({
      auth: { apiKeys: { postgres: PG_URL, schema, cacheTtl: "300ms" } },
    });
    const ping = () =>
      rpc(
        `${gw!.url}/mcp`,
        { jsonrpc: "2.0", id: 1, method: "ping" },
        { authorization: `Bearer ${made.key}`, "mcp-protocol-version": "2025-06-18" },
      );
    const first = await ping();
    assert.notEqual(first.status, 401, first.text);
    await admin.revoke("live"); // as `sophia keys revoke --store …` would, from another process
    const revokedAt = Date.now();
    let status = first.status;
    while (status !== 401 && Date.now() - revokedAt < 3000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await ping()).status;
    }
    const took = Date.now() - revokedAt;
    assert.equal(status, 401, "the revoked key is refused");
    assert.ok(took < 1000, `refused after ${took} ms (TTL 300 ms)`);
    assert.match(gw.logs(), /the API key was revoked/);
    assert.ok(!gw.logs().includes(made.key), "the key never reaches the log");
  });

  test("an invalid schema name is a configuration error", () => {
    assert.throws(
      () => new PgKeyStore({ url: PG_URL, schema: 'x"; drop' }),
      /not a valid PostgreSQL schema name/,
    );
  });
});
