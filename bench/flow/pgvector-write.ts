/**
 * Write rate of the pgvector sink: N source rows × 3 chunks × 384 dimensions,
 * in batches, first as inserts then as updates of the same keys (new
 * embeddings). Targets: this machine's PostgreSQL with `real[]` (and `vector`
 * when it offers pgvector), and PGlite with pgvector over the wire protocol.
 *
 *   npx node bench/flow/pgvector-write.ts [--rows 20000] [--batch 500] [--dims 384] [--only postgres]
 */
import { readFileSync } from "node:fs";
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

// A pool of distinct vectors shared by the events: building millions of fresh
// numbers would put the bench's own garbage collection inside the clock.
const POOL = Array.from({ length: 997 }, embedding);
let next = 0;
const pooled = () => POOL[next++ % POOL.length] ?? embedding();

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
      embedding: pooled(),
      contentHash: `h${from + i}.${index}`,
    })),
  }));
}

const APP = `sophia_pgvbench_${process.pid}`;

/** CPU seconds (user + system) of this bench's PostgreSQL backends, read from /proc. */
async function backendCpu(admin: pg.Client): Promise<Map<number, number>> {
  const result = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
    [APP],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of result.rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // Not on this machine (a remote or PGlite server): no backend figure.
    }
  }
  return cpu;
}

function spent(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

interface Round {
  wall: number;
  client: number;
  server: number;
}

async function run(url: string, columnType: "vector" | "real[]"): Promise<Round[]> {
  const schema = `pgvbench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const connectionString = `${url}${url.includes("?") ? "&" : "?"}application_name=${APP}`;
  const options = { kind: "pgvector", connectionString, schema, dimensions: DIMS, poolSize: 1 };
  const sink = createPgvectorSink(
    "bench",
    pgvectorSinkOptions.parse({ ...options, columnType, textColumns: ["body"] }),
    { logger: silentLogger(), flow: "bench" },
  );
  try {
    await sink.start();
    const rounds: Round[] = [];
    let lsn = 0x100n;
    for (let round = 0; round < 2; round++) {
      // Events are built before the clock starts: the sink's cost alone.
      const batches = [];
      for (let from = 0; from < ROWS; from += BATCH) {
        lsn += 0x100n;
        batches.push({ events: events(from, lsn), checkpoint: lsn });
      }
      const server = await backendCpu(admin);
      const client = process.cpuUsage();
      const started = performance.now();
      for (const batch of batches) await sink.write(batch);
      const wall = (performance.now() - started) / 1000;
      const used = process.cpuUsage(client);
      rounds.push({
        wall,
        client: (used.user + used.system) / 1e6,
        server: spent(server, await backendCpu(admin)),
      });
    }
    const stored = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.sophia_embeddings`);
    if (stored.rows[0].n !== ROWS * CHUNKS) throw new Error(`stored ${stored.rows[0].n} chunks`);
    return rounds;
  } finally {
    await sink.stop();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

const perSecond = (seconds: number) => String(Math.round(ROWS / seconds)).padStart(6);

/**
 * rows/s on the clock, and rows/s if the CPU time were all there is (client
 * and backend take turns): on a busy machine the second is the steadier.
 */
function report(target: string, rounds: Round[]): void {
  for (const [i, r] of rounds.entries()) {
    console.log(
      `${target.padEnd(16)} ${i === 0 ? "insert" : "update"} ${perSecond(r.wall)} rows/s   cpu: node ${r.client.toFixed(2)} s + backend ${r.server.toFixed(2)} s = ${perSecond(r.client + r.server)} rows/s of cpu`,
    );
  }
}

console.log(`${ROWS} source rows × ${CHUNKS} chunks × ${DIMS} dims, batches of ${BATCH}`);
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
