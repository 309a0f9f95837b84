/**
 * The embedded PostgreSQL (PGlite served on a private socket): one database
 * per data directory and process, shared by every holder, closed by the last;
 * a lock file keeps a second process out and is taken over when stale.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { access, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import pg from "pg";
import { acquireEmbeddedPostgres } from "../../src/shared/embedded-postgres.ts";
import { SophiaError } from "../../src/shared/errors.ts";

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "sophia-embedded-"));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test(
  "two holders share one database; data survives a reopen; the last release unlocks",
  {
    timeout: 60_000,
  },
  () =>
    withDir(async (dir) => {
      const data = join(dir, "knowledge");
      const [a, b] = await Promise.all([
        acquireEmbeddedPostgres(data),
        acquireEmbeddedPostgres(data),
      ]);
      // A failed assertion must still close the database, or the file's process never ends.
      after(() => Promise.all([a.release(), b.release()]));
      assert.equal(a.connectionString, b.connectionString);
      const socketDir = new URLSearchParams(a.connectionString.split("?")[1]).get("host");
      assert.ok(socketDir, a.connectionString);
      assert.equal((await stat(socketDir)).mode & 0o777, 0o700, "the socket folder is private");
      const one = new pg.Client({ connectionString: a.connectionString });
      await one.connect();
      await one.query("CREATE TABLE notes (id int PRIMARY KEY, v vector(3))");
      await one.query("INSERT INTO notes VALUES (1, '[1,2,3]')");
      await one.end();
      assert.ok(await exists(join(data, "sophia.lock")));
      await a.release();
      const two = new pg.Client({ connectionString: b.connectionString });
      await two.connect();
      assert.equal((await two.query("SELECT count(*)::int AS n FROM notes")).rows[0].n, 1);
      await two.end();
      await b.release();
      assert.equal(await exists(join(data, "sophia.lock")), false, "the lock is removed");
      assert.equal(await exists(socketDir), false, "the socket folder is removed");

      const again = await acquireEmbeddedPostgres(data);
      after(() => again.release());
      const three = new pg.Client({ connectionString: again.connectionString });
      await three.connect();
      const row = await three.query("SELECT v::text AS v FROM notes WHERE id = 1");
      assert.equal(row.rows[0].v, "[1,2,3]");
      await three.end();
      await again.release();
    }),
);

test("a data directory locked by a live process is refused with its pid", () =>
  withDir(async (dir) => {
    const data = join(dir, "knowledge");
    await mkdir(data);
    // The parent of this test process is alive for the whole test.
    await writeFile(join(data, "sophia.lock"), `${process.ppid}\n`);
    await assert.rejects(acquireEmbeddedPostgres(data), (error: unknown) => {
      assert.ok(error instanceof SophiaError);
      assert.equal(error.code, "EMBEDDED_DB_FAILED");
      assert.match(error.message, new RegExp(`open in process ${process.ppid}`));
      assert.match(error.hint ?? "", /sophia up/);
      return true;
    });
  }));

test("a lock left by a process that is gone is taken over", { timeout: 60_000 }, () =>
  withDir(async (dir) => {
    const data = join(dir, "knowledge");
    await mkdir(data);
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    await writeFile(join(data, "sophia.lock"), `${gone.stdout.toString()}\n`);
    const held = await acquireEmbeddedPostgres(data);
    try {
      const client = new pg.Client({ connectionString: held.connectionString });
      await client.connect();
      assert.equal((await client.query("SELECT 1 AS one")).rows[0].one, 1);
      await client.end();
    } finally {
      await held.release();
    }
  }),
);
