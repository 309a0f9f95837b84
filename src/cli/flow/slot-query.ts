/** Reads a slot's state straight from pg_replication_slots, for `sophia flow status` (no stream needed). */
import pg from "pg";

export interface SlotRow {
  exists: boolean;
  active: boolean;
  walStatus: string;
  lagBytes: number;
  retainedBytes: number;
  confirmedFlush: string | null;
}

export async function querySlot(connectionString: string, slot: string): Promise<SlotRow> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const result = await client.query(
      `SELECT active, coalesce(wal_status, 'unknown') AS wal_status,
              coalesce(pg_current_wal_lsn() - confirmed_flush_lsn, 0)::float8 AS lag_bytes,
              coalesce(pg_current_wal_lsn() - restart_lsn, 0)::float8 AS retained_bytes,
              confirmed_flush_lsn::text AS confirmed_flush
         FROM pg_replication_slots WHERE slot_name = $1`,
      [slot],
    );
    const row = result.rows[0];
    if (row === undefined)
      return {
        exists: false,
        active: false,
        walStatus: "missing",
        lagBytes: 0,
        retainedBytes: 0,
        confirmedFlush: null,
      };
    return {
      exists: true,
      active: row.active,
      walStatus: row.wal_status,
      lagBytes: row.lag_bytes,
      retainedBytes: row.retained_bytes,
      confirmedFlush: row.confirmed_flush,
    };
  } finally {
    await client.end();
  }
}
