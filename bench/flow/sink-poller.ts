/**
 * Delivery of a contender that writes into a table instead of POSTing: polls
 * the sink table for rows it has not seen and tallies each with the time the
 * sink wrote it (`updated_at`, the sink transaction's start on the server's
 * clock, the same clock as the source rows' ts_ms). The sink writes one
 * transaction at a time, so `updated_at >= last seen` misses nothing.
 */
import pg from "pg";
import type { Tally } from "./tally.ts";

export interface SinkPoller {
  stop(): Promise<void>;
}

export interface PolledTable {
  /** schema.table of the sink */
  table: string;
  /** SQL for the source row's ts_ms (epoch ms) in a sink row. */
  tsExpr: string;
  /** SQL for a sink row's identity (deduplication). */
  keyExpr: string;
}

export async function pollSinkTable(
  url: string,
  target: PolledTable,
  current: () => Tally | undefined,
  intervalMs = 50,
): Promise<SinkPoller> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  const seen = new Set<string>();
  let since = 0;
  let stopped = false;
  const sql = `SELECT ${target.keyExpr} AS k, ${target.tsExpr} AS ts,
      extract(epoch from updated_at) * 1000 AS at
    FROM ${target.table} WHERE updated_at >= to_timestamp($1 / 1000.0)`;
  const loop = (async () => {
    while (!stopped) {
      const result = await client.query(sql, [since]).catch(() => undefined);
      for (const row of result?.rows ?? []) {
        if (seen.has(row.k)) continue;
        seen.add(row.k);
        const at = Number(row.at);
        if (at > since) since = at;
        current()?.add(Number(row.ts), at);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.end().catch(() => {});
    },
  };
}
