/**
 * The embedded PostgreSQL: PGlite with pgvector under a data directory, opened
 * once per process and served on a private Unix socket so that every part of
 * the process (a flow's pgvector sink, the knowledge server) talks to it with
 * the ordinary `pg` client, each connection with its own transactions.
 *
 * Why a socket and not PGlite's own query API: PGlite is a single backend
 * session. pglite-socket runs one client's transaction at a time; direct
 * `db.query` calls from a second user would run inside another user's open
 * transaction. The socket lives in a fresh 0700 temporary folder (trust
 * authentication must not reach other local users), not in the data
 * directory, whose path may exceed the 107-byte socket path limit.
 *
 * PGlite has no lock of its own and two processes writing one data directory
 * corrupt it, so the directory gets a lock file naming the owning process.
 */
import { mkdir, mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { errorMessage, SophiaError } from "./errors.ts";

export interface EmbeddedPostgres {
  /** A `pg` connection string for the socket (user postgres, database postgres). */
  connectionString: string;
  /** Gives this user's hold back; the last one closes the database. */
  release(): Promise<void>;
}

interface Opened {
  connectionString: string;
  close(): Promise<void>;
}

interface Entry {
  opening: Promise<Opened>;
  holders: number;
}

const LOCK_FILE = "sophia.lock";
/** Clients at once over the socket: sink pools plus the knowledge server's pool. */
const MAX_CONNECTIONS = 32;

const open_ = new Map<string, Entry>();

/** Opens (or joins) the embedded database in `dataDir`, creating it and the vector extension when new. */
export async function acquireEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = resolve(dataDir);
  let entry = open_.get(dir);
  if (entry === undefined) {
    entry = { opening: openDatabase(dir), holders: 0 };
    open_.set(dir, entry);
    entry.opening.catch(() => open_.delete(dir));
  }
  entry.holders++;
  let opened: Opened;
  try {
    opened = await entry.opening;
  } catch (error) {
    entry.holders--;
    throw error;
  }
  let released = false;
  const held = entry;
  return {
    connectionString: opened.connectionString,
    async release() {
      if (released) return;
      released = true;
      held.holders--;
      if (held.holders > 0 || open_.get(dir) !== held) return;
      open_.delete(dir);
      await opened.close();
    },
  };
}

async function openDatabase(dir: string): Promise<Opened> {
  await mkdir(dir, { recursive: true });
  const unlock = await lockDirectory(dir);
  let socketDir: string | undefined;
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { vector } = await import("@electric-sql/pglite-pgvector");
    const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
    const db = await PGlite.create({ dataDir: dir, extensions: { vector } });
    await db.exec("CREATE EXTENSION IF NOT EXISTS vector");
    socketDir = await mkdtemp(join(tmpdir(), "sophia-pg-"));
    const server = new PGLiteSocketServer({
      db,
      path: join(socketDir, ".s.PGSQL.5432"),
      maxConnections: MAX_CONNECTIONS,
    });
    await server.start();
    const folder = socketDir;
    return {
      connectionString: `postgres://postgres@/postgres?host=${encodeURIComponent(folder)}`,
      async close() {
        await server.stop();
        await db.close();
        await rm(folder, { recursive: true, force: true });
        await unlock();
      },
    };
  } catch (error) {
    if (socketDir !== undefined) await rm(socketDir, { recursive: true, force: true });
    await unlock();
    if (error instanceof SophiaError) throw error;
    throw new SophiaError(
      "EMBEDDED_DB_FAILED",
      `cannot open the embedded database in ${dir}: ${errorMessage(error)}`,
      {
        hint: "check that the directory is writable, or set connectionString to a PostgreSQL with pgvector",
        cause: error,
      },
    );
  }
}

/** Takes the directory's lock file, or says which live process holds it. */
async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx", 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new SophiaError(
          "EMBEDDED_DB_FAILED",
          `the embedded database in ${dir} is open in process ${pid}`,
          {
            hint: "PGlite allows one process: run the flow and the gateway together with `sophia up`, stop the other process, or use a PostgreSQL with pgvector (connectionString)",
          },
        );
      }
      // A lock left by a process that is gone (or by this one before a crash-free restart): take it.
      await rm(path, { force: true });
    }
  }
  throw new SophiaError("EMBEDDED_DB_FAILED", `cannot lock the embedded database in ${dir}`, {
    hint: `another process keeps creating ${path}; stop it and try again`,
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
