/**
 * Checks that the source can be captured, before anything is created. Each
 * failure is FLOW_SOURCE_NOT_READY and says the exact statement to run.
 */
import type pg from "pg";
import { SophiaError } from "../../shared/errors.ts";
import type { TableSelection } from "./api.ts";
import { quoteIdent, quoteTable, splitTable } from "./sql.ts";

export interface TableInfo {
  /** "schema.table" */
  name: string;
  /** Columns that identify a row: primary key, else the replica identity index, else none (FULL: all). */
  keyColumns: string[];
}

function notReady(message: string, hint: string): SophiaError {
  return new SophiaError("FLOW_SOURCE_NOT_READY", message, { hint });
}

export async function checkWalLevel(db: pg.ClientBase): Promise<void> {
  const { rows } = await db.query<{ wal_level: string }>("SHOW wal_level");
  const level = rows[0]?.wal_level ?? "unknown";
  if (level !== "logical")
    throw notReady(
      `wal_level is '${level}' on the source database; change data capture needs 'logical'`,
      "run: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL",
    );
}

export async function checkReplicationRole(db: pg.ClientBase): Promise<void> {
  const { rows } = await db.query<{ name: string; ok: boolean }>(
    "SELECT rolname AS name, rolreplication OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user",
  );
  const role = rows[0];
  if (role !== undefined && !role.ok)
    throw notReady(
      `role ${role.name} may not open a replication connection`,
      `run as a superuser: ALTER ROLE ${quoteIdent(role.name)} REPLICATION;`,
    );
}

const TABLE_SQL = `
SELECT c.relreplident AS identity,
  (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
     CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
   WHERE i.indrelid = c.oid AND i.indisprimary) AS pk,
  (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
     CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
   WHERE i.indrelid = c.oid AND i.indisreplident) AS ident
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`;

/** Each table exists and identifies its rows (primary key, REPLICA IDENTITY FULL or USING INDEX). */
export async function checkTable(db: pg.ClientBase, selection: TableSelection): Promise<TableInfo> {
  const { schema, table } = splitTable(selection.table);
  const name = `${schema}.${table}`;
  const { rows } = await db.query<{
    identity: string;
    pk: string[] | null;
    ident: string[] | null;
  }>(TABLE_SQL, [schema, table]);
  const info = rows[0];
  if (info === undefined)
    throw notReady(
      `table ${name} does not exist in the source database`,
      `create it, or fix the name in the flow's tables (form: schema.table)`,
    );
  const pk = info.pk ?? [];
  if (info.identity === "n" || (info.identity === "d" && pk.length === 0))
    throw notReady(
      `table ${name} has no primary key and no replica identity, so PostgreSQL cannot send which row an update or delete touched`,
      `run: ALTER TABLE ${quoteTable(name)} REPLICA IDENTITY FULL; or add a primary key`,
    );
  const keyColumns = pk.length > 0 ? pk : info.identity === "i" ? (info.ident ?? []) : [];
  return { name, keyColumns };
}

export async function preflight(db: pg.ClientBase, tables: TableSelection[]): Promise<TableInfo[]> {
  await checkWalLevel(db);
  await checkReplicationRole(db);
  const infos: TableInfo[] = [];
  for (const selection of tables) infos.push(await checkTable(db, selection));
  return infos;
}
