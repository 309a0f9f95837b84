/**
 * Runs one reading query inside PostgreSQL's own guard: a READ ONLY
 * transaction that is always rolled back, a statement_timeout, and a cursor
 * (DECLARE refuses data-modifying WITH; the extended protocol refuses a
 * second statement). Rows are fetched `limit + 1` to tell truncation.
 */
import type pg from "pg";
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import { checkReadQuery } from "./guard.ts";
import { jsonSafeRow } from "./values.ts";

export interface QueryAnswer {
  columns: string[];
  rows: Record<string, unknown>[];
  rowCount: number;
  truncated: boolean;
}

export interface QueryLimits {
  rowLimit: number;
  timeoutMs: number;
}

/**
 * SQLSTATEs of PostgreSQL's own refusals, reported as such: read-only
 * transaction (25006), read-write mode after a query (25001), data-modifying
 * WITH in a cursor (0A000), missing privilege (42501).
 */
const REFUSALS = new Set(["25006", "25001", "0A000", "42501"]);

export function queryError(error: unknown): SophiaError {
  if (error instanceof SophiaError) return error;
  const code = (error as { code?: unknown }).code;
  const message = errorMessage(error);
  if (typeof code === "string" && REFUSALS.has(code))
    return new SophiaError("BUILTIN_REFUSED", `sql: refused: ${message}`, {
      hint: "only reading queries run here; nothing was changed",
    });
  if (code === "57014")
    return new SophiaError("BUILTIN_FAILED", `sql: the query ran past its time limit`, {
      hint: "narrow it (WHERE, LIMIT) or raise options.timeout",
    });
  return new SophiaError("BUILTIN_FAILED", `sql: ${message}`, { cause: error });
}

/** BEGIN READ ONLY + statement_timeout, `body`, then ROLLBACK whatever happened. */
export async function readOnly<T>(
  pool: pg.Pool,
  timeoutMs: number,
  body: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN READ ONLY");
    await client.query("SELECT set_config('statement_timeout', $1, true)", [String(timeoutMs)]);
    return await body(client);
  } catch (error) {
    throw queryError(error);
  } finally {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    client.release(broken);
  }
}

export async function runQuery(
  pool: pg.Pool,
  sql: string,
  params: unknown[],
  limits: QueryLimits,
): Promise<QueryAnswer> {
  const checked = checkReadQuery(sql);
  if (!checked.ok)
    throw new SophiaError("BUILTIN_REFUSED", `sql: refused: ${checked.reason}`, {
      hint: "only reading queries run here; nothing was changed",
    });
  return readOnly(pool, limits.timeoutMs, async (client) => {
    // Extended protocol even without params: PostgreSQL then refuses a second statement.
    const declare: pg.QueryConfig & { queryMode: "extended" } = {
      text: `DECLARE sophia_query NO SCROLL CURSOR FOR ${checked.sql}`,
      values: params,
      queryMode: "extended",
    };
    await client.query(declare);
    const result = await client.query({
      text: `FETCH ${limits.rowLimit + 1} FROM sophia_query`,
      rowMode: "array",
    });
    const columns = result.fields.map((field) => field.name);
    const truncated = result.rows.length > limits.rowLimit;
    const rows = (result.rows as unknown[][])
      .slice(0, limits.rowLimit)
      .map((values) => jsonSafeRow(columns, values));
    return { columns, rows, rowCount: rows.length, truncated };
  });
}
