/**
 * The replication slot: created (pgoutput) when missing; when present it must
 * be a pgoutput slot of this database, free, and not invalidated.
 */
import type pg from "pg";
import { SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import { quoteLiteral } from "./sql.ts";

interface SlotRow {
  plugin: string | null;
  database: string | null;
  current_db: string;
  active_pid: number | null;
  wal_status: string | null;
}

export function checkSlot(slot: string, row: SlotRow): void {
  if (row.plugin !== "pgoutput")
    throw new SophiaError(
      "FLOW_SOURCE_NOT_READY",
      `replication slot ${slot} uses plugin '${row.plugin ?? "none (physical)"}', not pgoutput`,
      {
        hint: `give the flow another slot name, or drop this one if nothing else uses it: SELECT pg_drop_replication_slot(${quoteLiteral(slot)});`,
      },
    );
  if (row.database !== row.current_db)
    throw new SophiaError(
      "FLOW_SOURCE_NOT_READY",
      `replication slot ${slot} belongs to database '${row.database}', not '${row.current_db}'`,
      {
        hint: "a logical slot reads one database: give the flow another slot name, or point it at the slot's database",
      },
    );
  if (row.wal_status === "lost")
    throw new SophiaError(
      "FLOW_SLOT_INVALIDATED",
      `replication slot ${slot} was invalidated: the WAL it needed was removed, so changes were lost`,
      {
        hint: `drop it and copy the tables again: SELECT pg_drop_replication_slot(${quoteLiteral(slot)}); then run: sophia flow backfill <flow>`,
      },
    );
  if (row.active_pid !== null) throw slotInUse(slot, row.active_pid);
}

export function slotInUse(slot: string, pid: number | string): SophiaError {
  return new SophiaError(
    "FLOW_SLOT_IN_USE",
    `replication slot ${slot} is in use by another connection (backend pid ${pid})`,
    {
      hint: `stop the other consumer (another sophia instance?), or end it: SELECT pg_terminate_backend(${pid});`,
    },
  );
}

export async function ensureSlot(db: pg.ClientBase, slot: string, logger: Logger): Promise<void> {
  const { rows } = await db.query<SlotRow>(
    `SELECT plugin, database, current_database() AS current_db, active_pid, wal_status
     FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  const row = rows[0];
  if (row !== undefined) return checkSlot(slot, row);
  await db.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);
  logger.info({ slot }, "replication slot created");
}
