/**
 * What the replica sink needs to know about a target table: its columns and
 * their types (for `jsonb_to_recordset`). Adds the hidden fence columns when
 * they are missing, and creates the table from the source's definition when
 * configured to.
 */

import type { PoolClient } from "pg";
import pg from "pg";
import { SophiaError } from "../../../shared/errors.ts";
import { qualified, quoteIdent } from "../shared/sql.ts";
import { LSN_COLUMN, SEQ_COLUMN } from "./statements.ts";

type Queryable = Pick<PoolClient, "query">;

/** Column name → SQL type as format_type prints it; empty when the table does not exist. */
export async function columnTypes(
  db: Queryable,
  schema: string,
  table: string,
): Promise<Map<string, string>> {
  const result = await db.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [schema, table],
  );
  return new Map(result.rows.map((row) => [row.name, row.type]));
}

export async function addFenceColumns(db: Queryable, schema: string, table: string): Promise<void> {
  await db.query(
    `ALTER TABLE ${qualified(schema, table)}
     ADD COLUMN IF NOT EXISTS ${LSN_COLUMN} pg_lsn NOT NULL DEFAULT '0/0',
     ADD COLUMN IF NOT EXISTS ${SEQ_COLUMN} int NOT NULL DEFAULT 0`,
  );
}

/** Creates the target with the source table's columns and types; the key columns become its primary key. */
export async function createFromSource(
  db: Queryable,
  sourceConnectionString: string | undefined,
  source: { schema: string; table: string },
  target: { schema: string; table: string },
  keyColumns: string[],
): Promise<void> {
  if (sourceConnectionString === undefined) {
    throw new SophiaError(
      "FLOW_SINK_FAILED",
      `cannot create ${target.schema}.${target.table}: the source database is unknown`,
      {
        hint: "create the target table yourself, or let the flow engine pass its source connection",
      },
    );
  }
  const client = new pg.Client({ connectionString: sourceConnectionString });
  await client.connect();
  let types: Map<string, string>;
  try {
    types = await columnTypes(client, source.schema, source.table);
  } finally {
    await client.end();
  }
  if (types.size === 0) {
    throw new SophiaError(
      "FLOW_SINK_FAILED",
      `source table ${source.schema}.${source.table} not found`,
      {
        hint: "check the flow's source tables",
      },
    );
  }
  const columns = [...types].map(([name, type]) => `${quoteIdent(name)} ${type}`);
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${qualified(target.schema, target.table)} (${columns.join(", ")},
     ${LSN_COLUMN} pg_lsn NOT NULL DEFAULT '0/0', ${SEQ_COLUMN} int NOT NULL DEFAULT 0,
     PRIMARY KEY (${keyColumns.map(quoteIdent).join(", ")}))`,
  );
}
