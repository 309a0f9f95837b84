import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import pg from "pg";
import { parse } from "yaml";
import type { Io } from "../io.ts";
import { exportCommand } from "./export.ts";

const PG_URL = process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

test("sophia flow export --estuary writes a catalog for a real table", async () => {
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  const name = `expcli_${randomBytes(4).toString("hex")}`;
  const dir = await mkdtemp(join(tmpdir(), "sophia-export-"));
  try {
    await db.query(`CREATE TABLE public.${name} (id int PRIMARY KEY, body text NOT NULL)`);
    await writeFile(
      join(dir, "sophia.yaml"),
      `flows:
  ${name}:
    source: { postgres: "${PG_URL}", tables: [public.${name}] }
    sinks: { hook: { webhook: { url: "http://127.0.0.1:9/h", secret: "0123456789abcdef" } } }
`,
    );
    const err: string[] = [];
    const io: Io = { out: () => undefined, err: (t) => err.push(t), env: {}, cwd: dir };
    const args = ["--estuary", "--out", "flow.yaml", "--prefix", "acme/prod"];
    assert.equal(await exportCommand(args, io), 0);
    const catalog = parse(await readFile(join(dir, "flow.yaml"), "utf8")) as {
      collections: Record<
        string,
        { key: string[]; schema: { properties: Record<string, { type: unknown }> } }
      >;
      materializations: Record<string, unknown>;
    };
    const collection = catalog.collections[`acme/prod/${name}`];
    assert.ok(collection, `collection for the table in ${Object.keys(catalog.collections)}`);
    assert.deepEqual(collection.key, ["/id"]);
    assert.equal(collection.schema.properties.body?.type, "string", "NOT NULL text never null");
    assert.ok(Object.keys(catalog.materializations).some((k) => k.endsWith("/hook")));
    assert.match(err.join(""), /wrote .*flow\.yaml/);
    await assert.rejects(exportCommand(["--out", "x.yaml"], io), { code: "USAGE" });
  } finally {
    await db.query(`DROP TABLE IF EXISTS public.${name}`);
    await db.end();
    await rm(dir, { recursive: true, force: true });
  }
});
