/** Options of a pgvector sink: one row per key and chunk in a PostgreSQL table. */
import { z } from "zod";
import { identifier } from "../shared/units.ts";

export const pgvectorSinkOptions = z.strictObject({
  kind: z.literal("pgvector"),
  /** A PostgreSQL with pgvector; absent means the embedded PGlite under `dataDir`. */
  connectionString: z.string().min(1).optional(),
  /**
   * The embedded store's folder (relative to the working directory), shared in
   * one process with the knowledge server reading the same folder.
   */
  dataDir: z.string().min(1).default(".sophia/data/knowledge"),
  schema: identifier.default("public"),
  table: identifier.default("sophia_embeddings"),
  /** Length of the embedding vectors (the embed transform's dimensions). */
  dimensions: z.number().int().min(1).max(16_000),
  /** Columns that were embedded (the embed transform's `fields`): left out of `metadata`. */
  textColumns: z.array(z.string().min(1)).default([]),
  /**
   * `vector` needs the pgvector extension. `real[]` stores plain arrays where
   * pgvector cannot be installed (no similarity index, but nothing to install).
   */
  columnType: z.enum(["vector", "real[]"]).default("vector"),
  /** Create the table (and the extension, when it is available) at start. */
  createTable: z.boolean().default(true),
  checkpointSchema: identifier.optional(),
  poolSize: z.number().int().min(1).max(32).default(2),
});

export type PgvectorSinkOptions = z.output<typeof pgvectorSinkOptions>;
