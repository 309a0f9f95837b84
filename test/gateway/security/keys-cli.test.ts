import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { runCli } from "../../support/cli-process.ts";

const PG_URL = process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const KEY = /^sk_sophia_([a-z0-9]{12})_[A-Za-z0-9_-]{43}$/;

/** `sophia keys …` in a real process; returns exit code and both streams. */
async function keys(args: string[], cwd: string) {
  const run = await runCli(["keys", ...args], 20_000, { cwd });
  return { code: run.code, out: run.stdout, err: run.stderr };
}

for (const backend of ["file", "postgres"] as const) {
  describe(`sophia keys (${backend} store)`, () => {
    let dir: string;
    let schema: string;
    let where: string[];

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), "sophia-keys-cli-"));
      schema = `keys_cli_${randomBytes(5).toString("hex")}`;
      where =
        backend === "file" ? ["--file", "keys.json"] : ["--store", PG_URL, "--schema", schema];
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
      if (backend === "postgres") {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    });

    let created: { key: string; id: string };

    test("create prints the key once on stdout, and nothing else there", async () => {
      const run = await keys(
        ["create", "--name", "ci", "--scope", "mcp", "--role", "reader", ...where],
        dir,
      );
      assert.equal(run.code, 0, run.err);
      const lines = run.out.trim().split("\n");
      assert.equal(lines.length, 1);
      const match = KEY.exec(lines[0]!);
      assert.ok(match, run.out);
      created = { key: lines[0]!, id: match[1]! };
      assert.match(run.err, /shown only now/);
      assert.ok(!run.err.includes(created.key));
      if (backend === "file") {
        const stored = await readFile(join(dir, "keys.json"), "utf8");
        assert.ok(!stored.includes(created.key.slice(23)), "the file holds no secret");
      }
    });

    test("a second active key with the same name is refused", async () => {
      const run = await keys(["create", "--name", "ci", ...where], dir);
      assert.notEqual(run.code, 0);
      assert.match(run.err, /an active API key named "ci" already exists/);
      assert.equal(run.out, "");
    });

    test("list shows ids, names, scopes and roles, never a secret or hash", async () => {
      await keys(["create", "--name", "ops", ...where], dir);
      for (const json of [false, true]) {
        const run = await keys(["list", ...(json ? ["--json"] : []), ...where], dir);
        assert.equal(run.code, 0, run.err);
        assert.match(run.out, new RegExp(created.id));
        assert.match(run.out, /ops/);
        assert.ok(!run.out.includes(created.key.slice(23)), "no secret");
        assert.ok(!/"hash"|[0-9a-f]{64}/.test(run.out), "no hash");
        if (json) {
          const listed = JSON.parse(run.out) as {
            name: string;
            scopes: string[];
            roles: string[];
          }[];
          assert.deepEqual(
            listed.map((k) => [k.name, k.scopes, k.roles]),
            [
              ["ci", ["mcp"], ["reader"]],
              ["ops", [], []],
            ],
          );
        }
      }
    });

    test("revoke by id and by name; unknown names exit non-zero", async () => {
      const byId = await keys(["revoke", created.id, ...where], dir);
      assert.equal(byId.code, 0, byId.err);
      assert.match(byId.out, new RegExp(`revoked ${created.id} \\(ci\\)`));
      const byName = await keys(["revoke", "ops", ...where], dir);
      assert.equal(byName.code, 0, byName.err);
      assert.match(byName.out, /revoked [a-z0-9]{12} \(ops\)/);
      const listed = await keys(["list", "--json", ...where], dir);
      const all = JSON.parse(listed.out) as { revoked?: string }[];
      assert.ok(all.every((k) => typeof k.revoked === "string"));
      const unknown = await keys(["revoke", "nobody", ...where], dir);
      assert.notEqual(unknown.code, 0);
      assert.match(unknown.err, /no API key with id or name "nobody"/);
      // A revoked name can be reused.
      assert.equal((await keys(["create", "--name", "ci", ...where], dir)).code, 0);
    });
  });
}

describe("sophia keys usage", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sophia-keys-usage-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("--help, a missing name, an unknown action and a bad --store are usage errors", async () => {
    const help = await keys(["--help"], dir);
    assert.equal(help.code, 0);
    assert.match(help.out, /--store <url>/);
    const cases: [string[], RegExp][] = [
      [["create"], /needs --name/],
      [["frob"], /unknown keys action "frob"/],
      [["revoke"], /needs the id or name/],
      [["list", "--store", "mysql://x"], /--store takes a postgres:\/\/ URL/],
    ];
    for (const [args, message] of cases) {
      const run = await keys(args, dir);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.err}`);
      assert.match(run.err, message);
    }
  });

  test("without --file or --store the key store comes from the config", async () => {
    await writeFile(
      join(dir, "sophia.yaml"),
      "gateway:\n  auth:\n    apiKeys: { file: secrets/api-keys.json }\nservers: {}\n",
    );
    const run = await keys(["create", "--name", "from-config"], dir);
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /secrets\/api-keys\.json/);
    assert.match(await readFile(join(dir, "secrets/api-keys.json"), "utf8"), /from-config/);
  });
});
