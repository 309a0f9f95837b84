/**
 * The checkpoint table of sinks that write to PostgreSQL. The checkpoint is
 * written in the same transaction as the batch's rows, so after a crash the
 * stored position and the stored data always agree (exactly-once effect).
 */
import type { PoolClient } from "pg";
import { formatLsn, type Lsn, parseLsn } from "../../lsn.ts";
import { qualified } from "./sql.ts";

export const CHECKPOINT_TABLE = "sophia_flow_checkpoints";

export function checkpointDdl(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualified(schema, CHECKPOINT_TABLE)} (
  flow text NOT NULL,
  sink text NOT NULL,
  lsn pg_lsn NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (flow, sink))`;
}

type Queryable = Pick<PoolClient, "query">;

/** The stored checkpoint, or undefined when this sink never wrote one. */
export async function readCheckpoint(
  db: Queryable,
  schema: string,
  flow: string,
  sink: string,
): Promise<Lsn | undefined> {
  const result = await db.query<{ lsn: string }>(
    `SELECT lsn::text AS lsn FROM ${qualified(schema, CHECKPOINT_TABLE)} WHERE flow = $1 AND sink = $2`,
    [flow, sink],
  );
  const row = result.rows[0];
  return row === undefined || row.lsn === "0/0" ? undefined : parseLsn(row.lsn);
}

/**
 * Inside a transaction: reads the checkpoint and locks its row until commit,
 * so two writers of the same sink cannot interleave their batches.
 */
export async function lockCheckpoint(
  db: Queryable,
  schema: string,
  flow: string,
  sink: string,
): Promise<Lsn | undefined> {
  await db.query(
    `INSERT INTO ${qualified(schema, CHECKPOINT_TABLE)} (flow, sink, lsn) VALUES ($1, $2, '0/0')
     ON CONFLICT (flow, sink) DO NOTHING`,
    [flow, sink],
  );
  const result = await db.query<{ lsn: string }>(
    `SELECT lsn::text AS lsn FROM ${qualified(schema, CHECKPOINT_TABLE)}
     WHERE flow = $1 AND sink = $2 FOR UPDATE`,
    [flow, sink],
  );
  const text = result.rows[0]?.lsn;
  return text === undefined || text === "0/0" ? undefined : parseLsn(text);
}

/** Moves the checkpoint forward (never back) inside the batch's transaction. */
export async function saveCheckpoint(
  db: Queryable,
  schema: string,
  flow: string,
  sink: string,
  lsn: Lsn,
): Promise<void> {
  await db.query(
    `UPDATE ${qualified(schema, CHECKPOINT_TABLE)} SET lsn = GREATEST(lsn, $3::pg_lsn), updated_at = now()
     WHERE flow = $1 AND sink = $2`,
    [flow, sink, formatLsn(lsn)],
  );
}
