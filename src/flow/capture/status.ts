/** SlotStatus from pg_replication_slots and the server's current WAL position. */
import type pg from "pg";
import { SophiaError } from "../../shared/errors.ts";
import { parseLsn } from "../lsn.ts";
import type { SlotStatus } from "./api.ts";

const WAL_STATUSES = new Set(["reserved", "extended", "unreserved", "lost"]);

export async function readSlotStatus(
  db: pg.ClientBase,
  slot: string,
  lagSeconds: number,
): Promise<SlotStatus> {
  const { rows } = await db.query<{
    active: boolean;
    wal_status: string | null;
    confirmed: string | null;
    restart: string | null;
    current: string;
  }>(
    `SELECT active, wal_status, confirmed_flush_lsn::text AS confirmed, restart_lsn::text AS restart,
            pg_current_wal_lsn()::text AS current
     FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  const row = rows[0];
  if (row === undefined)
    throw new SophiaError("FLOW_SOURCE_NOT_READY", `replication slot ${slot} does not exist`, {
      hint: "it was dropped while the flow ran; restart the flow to create it, then run: sophia flow backfill <flow>",
    });
  const currentLsn = parseLsn(row.current);
  const confirmedFlushLsn = row.confirmed === null ? 0n : parseLsn(row.confirmed);
  const restartLsn = row.restart === null ? 0n : parseLsn(row.restart);
  const walStatus = WAL_STATUSES.has(row.wal_status ?? "")
    ? (row.wal_status as SlotStatus["walStatus"])
    : "unknown";
  return {
    slot,
    active: row.active,
    walStatus,
    currentLsn,
    confirmedFlushLsn,
    restartLsn,
    lagBytes: currentLsn > confirmedFlushLsn ? currentLsn - confirmedFlushLsn : 0n,
    retainedBytes: currentLsn > restartLsn ? currentLsn - restartLsn : 0n,
    lagSeconds,
  };
}
