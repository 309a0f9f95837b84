import pg from "pg";
import { openCapture } from "../../../src/flow/capture/index.ts";
import { silentLogger } from "../../../src/shared/logger.ts";

const URL = "postgres://postgres@127.0.0.1:5432/postgres";
const name = `flowcap_bench_${process.pid}`;
const db = new pg.Client({ connectionString: URL });
await db.connect();
const ROWS = Number(process.argv[2] ?? 100000);
const TXS = Number(process.argv[3] ?? 100);
try {
  await db.query(`CREATE TABLE ${name} (id int PRIMARY KEY, name text, n bigint, at timestamptz)`);
  await db.query(`CREATE PUBLICATION ${name} FOR TABLE ${name}`);
  await db.query(`SELECT pg_create_logical_replication_slot('${name}', 'pgoutput')`);
  const per = ROWS / TXS;
  for (let t = 0; t < TXS; t++)
    await db.query(
      `INSERT INTO ${name} SELECT g, 'row ' || g, g * 1000, now() FROM generate_series(${t * per + 1}, ${(t + 1) * per}) g`,
    );
  const start = performance.now();
  const stream = await openCapture(
    {
      connectionString: URL,
      slot: name,
      publication: name,
      tables: [{ table: `public.${name}` }],
      batchSize: 1000,
      maxBufferedEvents: 4000,
      heartbeatMs: 0,
    },
    silentLogger(),
  );
  const opened = performance.now();
  let got = 0;
  let first = 0;
  while (got < ROWS) {
    const b = await stream.next();
    if (!b) break;
    if (first === 0) first = performance.now();
    got += b.events.length;
    if (b.checkpoint) stream.acknowledge(b.checkpoint);
  }
  const s = (performance.now() - start) / 1000;
  console.log(
    `${got} rows in ${s.toFixed(2)}s = ${Math.round(got / s)} rows/s (open ${Math.round(opened - start)} ms, first batch after ${Math.round(first - start)} ms; from open ${Math.round(got / ((performance.now() - opened) / 1000))} rows/s)`,
  );
  await stream.stop();
} finally {
  await db
    .query(`SELECT pg_drop_replication_slot('${name}')`)
    .catch((e) => console.error(e.message));
  await db.query(`DROP PUBLICATION IF EXISTS ${name}`);
  await db.query(`DROP TABLE IF EXISTS ${name}`);
  await db.end();
}
