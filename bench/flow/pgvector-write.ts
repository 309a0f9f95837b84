/**
 * Write rate of the pgvector sink: N source rows × 3 chunks × 384 dimensions,
 * in batches, first as inserts then as updates of the same keys (new
 * embeddings). Targets: this machine's PostgreSQL with `real[]` (and `vector`
 * when it offers pgvector), and PGlite with pgvector over the wire protocol.
 *
 *   npx node bench/flow/pgvector-write.ts [--rows 20000] [--batch 500] [--dims 384] [--only postgres]
 */
import { parseArgs } from "node:util";
import pg from "pg";
import type { ChangeEvent } from "../../src/flow/events.ts";
import { createPgvectorSink, pgvectorSinkOptions } from "../../src/flow/sinks/index.ts";
import { silentLogger } from "../../src/shared/logger.ts";
import { offersPgvector, PG_URL, startPglite } from "../../test/support/pgvector-db.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "20000" },
    batch: { type: "string", default: "500" },
    dims: { type: "string", default: "384" },
    only: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(
    "npx node bench/flow/pgvector-write.ts [--rows N] [--batch B] [--dims D] [--only postgres|pglite]",
  );
  process.exit(0);
}
const ROWS = Number(values.rows);
const BATCH = Number(values.batch);
const DIMS = Number(values.dims);
const CHUNKS = 3;

/** Float32 values as an embedder returns them (long decimal forms, like real models). */
function embedding(): number[] {
  return Array.from({ length: DIMS }, () => Math.fround(Math.random() * 2 - 1));
}

function events(from: number, lsn: bigint): ChangeEvent[] {
  return Array.from({ length: Math.min(BATCH, ROWS - from) }, (_, i) => ({
    op: "update",
    key: { id: from + i },
    before: null,
    after: { id: from + i, title: `row ${from + i}`, body: "text" },
    source: { schema: "public", table: "docs", commitLsn: lsn, seq: i, txId: 1, commitTimeMs: 0 },
    chunks: Array.from({ length: CHUNKS }, (_, index) => ({
      index,
      text: `chunk ${index} of row ${from + i}`,
      embedding: embedding(),
      contentHash: `h${from + i}.${index}`,
    })),
  }));
}

async function run(url: string, columnType: "vector" | "real[]"): Promise<number[]> {
  const schema = `pgvbench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const options = { kind: "pgvector", connectionString: url, schema, dimensions: DIMS };
  const sink = createPgvectorSink(
    "bench",
    pgvectorSinkOptions.parse({ ...options, columnType, textColumns: ["body"] }),
    { logger: silentLogger(), flow: "bench" },
  );
  try {
    await sink.start();
    const rates: number[] = [];
    let lsn = 0x100n;
    for (let round = 0; round < 2; round++) {
      // Events are built before the clock starts: the sink's cost alone.
      const batches = [];
      for (let from = 0; from < ROWS; from += BATCH) {
        lsn += 0x100n;
        batches.push({ events: events(from, lsn), checkpoint: lsn });
      }
      const started = performance.now();
      for (const batch of batches) await sink.write(batch);
      rates.push(Math.round(ROWS / ((performance.now() - started) / 1000)));
    }
    const stored = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.sophia_embeddings`);
    if (stored.rows[0].n !== ROWS * CHUNKS) throw new Error(`stored ${stored.rows[0].n} chunks`);
    return rates;
  } finally {
    await sink.stop();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

function report(target: string, rates: number[]): void {
  const [insert, update] = rates;
  console.log(
    `${target.padEnd(22)} insert ${String(insert).padStart(6)} rows/s   update ${String(update).padStart(6)} rows/s   (${CHUNKS} chunks × ${DIMS} dims, batch ${BATCH}, ${ROWS} rows)`,
  );
}

if (values.only !== "pglite") {
  report("postgres real[]", await run(PG_URL, "real[]"));
  if (await offersPgvector(PG_URL)) report("postgres vector", await run(PG_URL, "vector"));
}
if (values.only !== "postgres") {
  const lite = await startPglite();
  try {
    report("pglite vector", await run(lite.url, "vector"));
  } finally {
    await lite.close();
  }
}
