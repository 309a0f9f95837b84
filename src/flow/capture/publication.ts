/**
 * The publication: created for the flow's tables when missing (column lists
 * and row filters, PostgreSQL 15+), brought in line when it differs.
 */
import type pg from "pg";
import type { Logger } from "../../shared/logger.ts";
import type { TableSelection } from "./api.ts";
import type { TableInfo } from "./preflight.ts";
import { quoteIdent, quoteTable, splitTable } from "./sql.ts";

/** "s"."t" (cols) WHERE (expr): key columns are always in the column list. */
export function tableClause(selection: TableSelection, info: TableInfo): string {
  let clause = quoteTable(selection.table);
  if (selection.columns !== undefined && selection.columns.length > 0) {
    const columns = [...new Set([...info.keyColumns, ...selection.columns])];
    clause += ` (${columns.map(quoteIdent).join(", ")})`;
  }
  if (selection.where !== undefined && selection.where.trim() !== "")
    clause += ` WHERE (${selection.where})`;
  return clause;
}

interface PublishedTable {
  name: string;
  columns: string[] | null;
  rowfilter: string | null;
}

function normalise(text: string | null | undefined): string {
  return (text ?? "").replace(/[\s()]/g, "").toLowerCase();
}

/** True when the published tables, columns and filters are those the flow asks for. */
export function publicationMatches(
  published: PublishedTable[],
  wanted: TableSelection[],
  infos: TableInfo[],
): boolean {
  if (published.length !== wanted.length) return false;
  return wanted.every((selection, i) => {
    const { schema, table } = splitTable(selection.table);
    const found = published.find((p) => p.name === `${schema}.${table}`);
    if (found === undefined) return false;
    const info = infos[i] as TableInfo;
    const wantColumns =
      selection.columns === undefined
        ? null
        : [...new Set([...info.keyColumns, ...selection.columns])].sort();
    const haveColumns = found.columns === null ? null : [...found.columns].sort();
    if (wantColumns !== null && JSON.stringify(wantColumns) !== JSON.stringify(haveColumns))
      return false;
    return normalise(found.rowfilter) === normalise(selection.where);
  });
}

export async function ensurePublication(
  db: pg.ClientBase,
  name: string,
  tables: TableSelection[],
  infos: TableInfo[],
  logger: Logger,
): Promise<void> {
  const clauses = tables.map((t, i) => tableClause(t, infos[i] as TableInfo)).join(", ");
  const existing = await db.query<{ all: boolean }>(
    "SELECT puballtables AS all FROM pg_publication WHERE pubname = $1",
    [name],
  );
  if (existing.rows.length === 0) {
    await db.query(`CREATE PUBLICATION ${quoteIdent(name)} FOR TABLE ${clauses}`);
    logger.info({ publication: name }, "publication created");
    return;
  }
  if (existing.rows[0]?.all === true) return;
  const { rows } = await db.query<PublishedTable>(
    `SELECT schemaname || '.' || tablename AS name, attnames::text[] AS columns, rowfilter
     FROM pg_publication_tables WHERE pubname = $1`,
    [name],
  );
  if (publicationMatches(rows, tables, infos)) return;
  await db.query(`ALTER PUBLICATION ${quoteIdent(name)} SET TABLE ${clauses}`);
  logger.warn(
    { publication: name },
    "publication did not match the flow's tables; altered it to match",
  );
}
