/** Options of a PostgreSQL replica-table sink. */
import { z } from "zod";
import { identifier } from "../shared/units.ts";

export const postgresSinkOptions = z.strictObject({
  kind: z.literal("postgres"),
  /** postgres://… of the database the replica tables live in. */
  connectionString: z.string().min(1),
  /** Schema of the target tables. */
  schema: identifier.default("public"),
  /** Target table name; `{schema}` and `{table}` are replaced by the source's. */
  table: z.string().min(1).default("{table}"),
  /** Create a missing target table with the source table's column types and primary key. */
  createTable: z.boolean().default(false),
  /** Schema of `sophia_flow_checkpoints` in the target database (default: `schema`). */
  checkpointSchema: identifier.optional(),
  /** Connections to the target database. */
  poolSize: z.number().int().min(1).max(32).default(2),
});

export type PostgresSinkOptions = z.output<typeof postgresSinkOptions>;

/** The target table for a source table, from the `table` template. */
export function targetTableName(template: string, schema: string, table: string): string {
  return template.replaceAll("{schema}", schema).replaceAll("{table}", table);
}
