/**
 * The knowledge store: a PostgreSQL with pgvector reached over the network,
 * or the embedded PGlite (with pgvector) under a data directory. Both answer
 * the same SQL through `SqlClient`.
 */
import { resolve } from "node:path";
import pg from "pg";
import { acquireEmbeddedPostgres } from "../../shared/embedded-postgres.ts";
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

/**
 * Opens the embedded PGlite database (shared in this process with any pgvector
 * sink writing to the same `dataDir`) and creates the chunk table when the
 * embedder's dimensions are known.
 */
export async function openEmbedded(dataDir: string, options: DatabaseOptions): Promise<SqlClient> {
  const embedded = await acquireEmbeddedPostgres(dataDir);
  const pool = new pg.Pool({ connectionString: embedded.connectionString, max: options.poolSize });
  pool.on("error", () => {});
  try {
    // Only the dimensions the embedder declares can shape a new table.
    if (options.dimensions !== undefined) {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
      await pool.query(tableDdl(options.table, options.dimensions));
    }
  } catch (error) {
    await pool.end();
    await embedded.release();
    throw new SophiaError(
      "BUILTIN_FAILED",
      `knowledge: cannot prepare ${options.table} in the embedded database in ${dataDir}: ${errorMessage(error)}`,
      {
        hint: "remove the data directory if it was made by another version, or set options.connectionString",
        cause: error,
      },
    );
  }
  return {
    query: async <T extends object>(text: string, values: unknown[] = []) =>
      pool.query<T & pg.QueryResultRow>(text, values),
    async close() {
      await pool.end();
      await embedded.release();
    },
  };
}
