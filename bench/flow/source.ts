/**
 * The benchmark's source table and its load: bursts of multi-row transactions
 * and a paced stream of single-row commits. Every row carries the time it was
 * inserted (`ts_ms`, from the server's clock_timestamp) so a consumer can
 * measure insert-to-delivery latency on the same machine's clock.
 */
import pg from "pg";

export interface Source {
  url: string;
  table: string;
  client: pg.Client;
}

export async function openSource(url: string, table: string): Promise<Source> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.query(
    `CREATE TABLE ${table} (id bigserial PRIMARY KEY,
       ts_ms double precision NOT NULL DEFAULT (extract(epoch from clock_timestamp()) * 1000),
       payload text NOT NULL)`,
  );
  return { url, table, client };
}

export async function createSlot(source: Source, slot: string, plugin: string): Promise<void> {
  await source.client.query("SELECT pg_create_logical_replication_slot($1, $2)", [slot, plugin]);
}

export async function dropSlot(source: Source, slot: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await source.client.query(
      "SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1",
      [slot],
    );
    if (rows.length === 0) return;
    if (rows[0].active_pid !== null)
      await source.client.query("SELECT pg_terminate_backend($1)", [rows[0].active_pid]);
    try {
      await source.client.query("SELECT pg_drop_replication_slot($1)", [slot]);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Resolves once `slot` exists and a walsender streams from it (a flow that creates its own slot is ready). */
export async function waitForSlot(source: Source, slot: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { rows } = await source.client.query(
      "SELECT active FROM pg_replication_slots WHERE slot_name = $1",
      [slot],
    );
    if (rows[0]?.active === true) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`slot ${slot} not streaming after ${timeoutMs} ms`);
}

/** Set on Ctrl-C: the load loops end at their next statement. */
export const load = { stopped: false };

/** `rows` rows in transactions of `perTx` rows, as fast as the server takes them. */
export async function insertBurst(source: Source, rows: number, perTx: number): Promise<void> {
  for (let done = 0; done < rows && !load.stopped; done += perTx) {
    const n = Math.min(perTx, rows - done);
    await source.client.query(
      `INSERT INTO ${source.table} (payload) SELECT 'row-' || g || '-' || md5(g::text) FROM generate_series(1, $1) g`,
      [n],
    );
  }
}

/** Single-row commits at `perSecond` for `seconds`, paced against the wall clock. */
export async function insertSteady(
  source: Source,
  perSecond: number,
  seconds: number,
): Promise<number> {
  const total = perSecond * seconds;
  const started = performance.now();
  const sql = `INSERT INTO ${source.table} (payload) VALUES ($1)`;
  for (let i = 0; i < total && !load.stopped; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    await source.client.query(sql, [`steady-${i}`]);
  }
  return total;
}

export async function closeSource(source: Source): Promise<void> {
  await source.client.query(`DROP TABLE IF EXISTS ${source.table}`).catch(() => {});
  await source.client.end();
}
