/** Shared set-up for capture tests: a unique table/publication/slot per test, removed afterwards. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { CaptureOptions, CaptureStream } from "../../../src/flow/capture/index.ts";
import type { ChangeBatch, ChangeEvent } from "../../../src/flow/events.ts";

export const PG_URL =
  process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface Fixture {
  name: string;
  table: string;
  db: pg.Client;
  options(overrides?: Partial<CaptureOptions>): CaptureOptions;
  /** Drops slot (terminating a walsender still on it), publication and tables. */
  cleanup(): Promise<void>;
}

export async function fixture(tableSql: (table: string) => string): Promise<Fixture> {
  const name = `flowcap_${randomBytes(5).toString("hex")}`;
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  const table = `public.${name}`;
  await db.query(tableSql(table));
  return {
    name,
    table,
    db,
    options: (overrides = {}) => ({
      connectionString: PG_URL,
      slot: name,
      publication: name,
      tables: [{ table }],
      batchSize: 500,
      maxBufferedEvents: 5000,
      heartbeatMs: 0,
      ...overrides,
    }),
    async cleanup() {
      await dropSlot(db, name);
      await db.query(`DROP PUBLICATION IF EXISTS ${name}`);
      await db.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
      await db.end();
    },
  };
}

export async function dropSlot(db: pg.Client, slot: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await db.query<{ pid: number | null }>(
      "SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1",
      [slot],
    );
    const row = rows[0];
    if (row === undefined) return;
    if (row.pid === null) {
      await db.query("SELECT pg_drop_replication_slot($1)", [slot]).catch(() => {});
      continue;
    }
    await db.query("SELECT pg_terminate_backend($1)", [row.pid]);
    await sleep(100);
  }
  throw new Error(`could not drop replication slot ${slot}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads batches until `count` events arrived (bounded by time), acknowledging each checkpoint when `ack`. */
export async function collect(
  stream: CaptureStream,
  count: number,
  options: { ack?: boolean; timeoutMs?: number } = {},
): Promise<{ events: ChangeEvent[]; batches: ChangeBatch[] }> {
  const events: ChangeEvent[] = [];
  const batches: ChangeBatch[] = [];
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (events.length < count) {
    const batch = await withTimeout(
      stream.next(),
      deadline - Date.now(),
      `waiting for ${count} events, got ${events.length}`,
    );
    if (batch === undefined) break;
    batches.push(batch);
    events.push(...batch.events);
    if (options.ack === true && batch.checkpoint !== undefined)
      stream.acknowledge(batch.checkpoint);
  }
  return { events, batches };
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out ${what}`)), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function confirmedFlush(db: pg.Client, slot: string): Promise<bigint> {
  const { rows } = await db.query<{ lsn: string | null }>(
    "SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1",
    [slot],
  );
  const text = rows[0]?.lsn;
  if (text === undefined || text === null) return 0n;
  const [high, low] = text.split("/");
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}
