/**
 * A PostgreSQL with the pgvector extension for tests: the real server when it
 * offers `vector`, else PGlite with its pgvector build served over the wire
 * protocol on 127.0.0.1, so the `pg` client (and every sink) talks to it as to
 * any PostgreSQL.
 *
 * PGlite is one backend. pglite-socket multiplexes clients onto it and, while
 * one client is inside a transaction, runs only that client's messages; so a
 * pool plus a test's own client work, but session settings (search_path, SET)
 * are shared by every connection, and a lock never blocks another connection.
 */
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";

export const PG_URL =
  process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface PgvectorDatabase {
  url: string;
  /** Which server: "postgres" (the real one) or "pglite" (in this process). */
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

/** True when the server at `url` can create the `vector` extension. */
export async function offersPgvector(url: string): Promise<boolean> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const result = await db.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    return result.rowCount === 1;
  } finally {
    await db.end();
  }
}

/** Connections PGlite accepts at once: a sink's pool plus the test's own clients. */
const MAX_CONNECTIONS = 16;

export async function startPglite(): Promise<PgvectorDatabase> {
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: 0,
    maxConnections: MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    kind: "pglite",
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

export async function openPgvectorDatabase(): Promise<PgvectorDatabase> {
  if (await offersPgvector(PG_URL)) {
    return { url: PG_URL, kind: "postgres", close: async () => {} };
  }
  return startPglite();
}
