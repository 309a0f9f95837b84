/**
 * The knowledge store: a PostgreSQL with pgvector reached over the network,
 * or the embedded PGlite (with pgvector) under a data directory. Both answer
 * the same SQL through `SqlClient`.
 */
import { resolve } from "node:path";
import pg from "pg";
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import { tableDdl } from "./queries.ts";

export interface SqlClient {
  query<T extends object>(text: string, values?: unknown[]): Promise<{ rows: T[] }>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  connectionString?: string | undefined;
  dataDir: string;
  poolSize: number;
  /** The quoted schema and qualified table name, created in the embedded database when missing. */
  schema: string;
  table: string;
  dimensions: number | undefined;
}

export async function openDatabase(options: DatabaseOptions, cwd: string): Promise<SqlClient> {
  if (options.connectionString !== undefined) {
    const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize });
    // An idle client that loses its connection must not crash the process.
    pool.on("error", () => {});
    return {
      query: async <T extends object>(text: string, values: unknown[] = []) =>
        pool.query<T & pg.QueryResultRow>(text, values),
      close: () => pool.end(),
    };
  }
  return openEmbedded(resolve(cwd, options.dataDir), options);
}

/** Opens (creating when new) the PGlite database with pgvector and the chunk table. */
export async function openEmbedded(dataDir: string, options: DatabaseOptions): Promise<SqlClient> {
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { vector } = await import("@electric-sql/pglite-pgvector");
    const db = await PGlite.create({ dataDir, extensions: { vector } });
    await db.exec("CREATE EXTENSION IF NOT EXISTS vector");
    // Only the dimensions the embedder declares can shape a new table.
    if (options.dimensions !== undefined) {
      await db.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
      await db.exec(tableDdl(options.table, options.dimensions));
    }
    return {
      query: async <T extends object>(text: string, values: unknown[] = []) =>
        db.query<T>(text, values),
      close: () => db.close(),
    };
  } catch (error) {
    throw new SophiaError(
      "BUILTIN_FAILED",
      `knowledge: cannot open the embedded database in ${dataDir}: ${errorMessage(error)}`,
      {
        hint: "check the directory is writable and no other process has it open (PGlite allows one), or set options.connectionString",
        cause: error,
      },
    );
  }
}
