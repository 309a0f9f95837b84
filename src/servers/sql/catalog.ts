/** `list_tables` and `describe_table`: what the model may query, from the catalogs. */
import type pg from "pg";
import { SophiaError } from "../../shared/errors.ts";

export interface TableInfo {
  schema: string;
  name: string;
  type: string;
  estimatedRows: number | null;
}

const SYSTEM =
  "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";
const KINDS = "('r', 'v', 'm', 'p', 'f')";

export async function listTables(
  client: pg.PoolClient,
  schemas: string[] | undefined,
): Promise<TableInfo[]> {
  const result = await client.query<{
    schema: string;
    name: string;
    kind: string;
    estimate: number;
  }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.reltuples::float8 AS estimate
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ${KINDS} AND ${SYSTEM} AND ($1::text[] IS NULL OR n.nspname = ANY($1))
  AND has_table_privilege(c.oid, 'SELECT')
ORDER BY 1, 2`,
    [schemas ?? null],
  );
  const kinds: Record<string, string> = {
    r: "table",
    p: "table",
    v: "view",
    m: "materialized view",
    f: "foreign table",
  };
  return result.rows.map((row) => ({
    schema: row.schema,
    name: row.name,
    type: kinds[row.kind] ?? row.kind,
    estimatedRows: row.estimate < 0 ? null : Math.round(row.estimate),
  }));
}

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  primaryKey: boolean;
  comment: string | null;
}

export async function describeTable(
  client: pg.PoolClient,
  table: string,
  schemas: string[] | undefined,
): Promise<{ schema: string; name: string; columns: ColumnInfo[] }> {
  const found = await client.query<{ oid: number; schema: string; name: string }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass($1) AND c.relkind IN ${KINDS} AND ${SYSTEM}
  AND ($2::text[] IS NULL OR n.nspname = ANY($2))`,
    [table, schemas ?? null],
  );
  const relation = found.rows[0];
  if (relation === undefined)
    throw new SophiaError("NOT_FOUND", `sql: no table or view "${table}" here`, {
      hint: "call list_tables for the names; write schema.table for tables outside the search path",
    });
  const columns = await client.query<ColumnInfo>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
  NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default,
  coalesce(a.attnum = ANY(i.indkey), false) AS "primaryKey", col_description(a.attrelid, a.attnum) AS comment
FROM pg_attribute a
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`,
    [relation.oid],
  );
  return { schema: relation.schema, name: relation.name, columns: columns.rows };
}
