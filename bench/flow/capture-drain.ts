/**
 * `node bench/flow/capture-drain.ts [--rows 100000]`: how fast capture alone
 * drains a backlog, beside the server's own decoding rate. One backlog of
 * `--rows` rows in 1,000-row transactions (the flow benchmark's table) is
 * read through three slots created before it: `pg_recvlogical` with
 * `test_decoding` and with `pgoutput` writing to /dev/null, then Sophia's
 * capture (decoded into change events, nothing delivered, nothing
 * acknowledged). A first untimed read warms the WAL into the page cache so
 * that order does not favour the later readers. Prints rows/s for each; no
 * sink, no receiver.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { openCapture } from "../../src/flow/capture/index.ts";
import { silentLogger } from "../../src/shared/logger.ts";
import { findRecvlogical } from "./contenders/recvlogical.ts";
import { closeSource, dropSlot, insertBurst, openSource } from "./source.ts";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "100000" }, url: { type: "string" } },
});
const ROWS = Number(values.rows);
const URL =
  values.url ?? process.env.SOPHIA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const NAME = `bench_drain_${randomUUID().slice(0, 8)}`;
const SLOTS = { warm: `${NAME}_warm`, td: `${NAME}_td`, po: `${NAME}_po`, cap: `${NAME}_cap` };

/** Milliseconds for pg_recvlogical to read the slot up to `endLsn`. */
function recvlogical(slot: string, endLsn: string, options: string[]): Promise<number> {
  const started = performance.now();
  const args = ["-d", URL, "--slot", slot, "--start", "-f", "/dev/null", "-E", endLsn];
  const child = spawn(findRecvlogical(), [...args, ...options], { stdio: "inherit" });
  return new Promise((resolve, reject) =>
    child.on("exit", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`pg_recvlogical exited ${code}`)),
    ),
  );
}

/** Milliseconds for capture to decode `ROWS` change events from the slot. */
async function capture(): Promise<number> {
  const started = performance.now();
  const stream = await openCapture(
    {
      connectionString: URL,
      slot: SLOTS.cap,
      publication: NAME,
      tables: [{ table: `public.${NAME}` }],
      batchSize: 1000,
      maxBufferedEvents: 4000,
      heartbeatMs: 0,
    },
    silentLogger(),
  );
  let got = 0;
  while (got < ROWS) {
    const batch = await stream.next();
    if (batch === undefined) break;
    got += batch.events.length;
  }
  const ms = performance.now() - started;
  await stream.stop();
  if (got < ROWS) throw new Error(`capture ended after ${got} of ${ROWS} rows`);
  return ms;
}

const source = await openSource(URL, `public.${NAME}`);
try {
  await source.client.query(`CREATE PUBLICATION ${NAME} FOR TABLE public.${NAME}`);
  for (const [kind, slot] of Object.entries(SLOTS))
    await source.client.query("SELECT pg_create_logical_replication_slot($1, $2)", [
      slot,
      kind === "td" || kind === "warm" ? "test_decoding" : "pgoutput",
    ]);
  await insertBurst(source, ROWS, 1000);
  const { rows } = await source.client.query("SELECT pg_current_wal_lsn()::text AS lsn");
  const end = rows[0].lsn as string;
  const rate = (ms: number) => Math.round(ROWS / (ms / 1000)).toLocaleString("en-US");
  await recvlogical(SLOTS.warm, end, []);
  const td = await recvlogical(SLOTS.td, end, []);
  const po = await recvlogical(SLOTS.po, end, [
    ...["-o", "proto_version=1", "-o", `publication_names=${NAME}`],
  ]);
  const cap = await capture();
  console.log(`${ROWS.toLocaleString("en-US")}-row backlog, rows/s:`);
  console.log(`  pg_recvlogical test_decoding → /dev/null  ${rate(td)}`);
  console.log(`  pg_recvlogical pgoutput → /dev/null       ${rate(po)}`);
  console.log(`  sophia capture (change events)            ${rate(cap)}`);
} finally {
  for (const slot of Object.values(SLOTS)) await dropSlot(source, slot);
  await source.client.query(`DROP PUBLICATION IF EXISTS ${NAME}`).catch(() => {});
  await closeSource(source);
}
