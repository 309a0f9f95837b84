/**
 * The knowledge loop end to end: a source table in the real PostgreSQL, a
 * flow (capture, embed with the local embedder, pgvector sink) writing into
 * PGlite over its wire protocol, and the gateway's knowledge built-in reading
 * the same PGlite. A row inserted at the source is found through the gateway
 * within a second; an update replaces its text; a delete removes it.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import pg from "pg";
import { loadConfig } from "../../src/config/index.ts";
import { createLocalEmbedder } from "../../src/flow/embed/index.ts";
import { createFlowEngine, readFlows } from "../../src/flow/index.ts";
import { Gateway } from "../../src/gateway/index.ts";
import { builtinServers } from "../../src/servers/index.ts";
import { silentLogger } from "../../src/shared/logger.ts";
import { dropSlot } from "../flow/capture/support.ts";
import { connectClient } from "../support/gateway-harness.ts";
import { startPglite } from "../support/pgvector-db.ts";
import { until } from "../support/poll.ts";
import { callJson, PG_URL, uniqueName } from "./support.ts";

type Hit = { id: string; text: string };

async function search(client: Client, query: string, mode = "hybrid"): Promise<Hit[]> {
  const answer = await callJson(client, "knowledge__search", { query, mode, topK: 10 });
  assert.equal(answer.isError, false, answer.text);
  return (answer.value as { results: Hit[] }).results;
}

/** Milliseconds until `probe` holds, polling every 20 ms for at most 10 s. */
async function timeUntil(what: string, probe: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  await until(what, async () => ((await probe()) ? true : undefined), {
    timeoutMs: 10_000,
    everyMs: 20,
  });
  return performance.now() - started;
}

/**
 * Where the chunks live: a PostgreSQL URL (PGlite over TCP standing in for a
 * pgvector server), or the embedded store (no connectionString: the sink and
 * the knowledge server share one PGlite under the same dataDir).
 */
type Store = { kind: "server" } | { kind: "embedded" };

async function knowledgeLoop(store: Store): Promise<void> {
  const name = uniqueName("kloop");
  const source = `public.${name}`;
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  const dir = await mkdtemp(join(tmpdir(), "sophia-kloop-"));
  const vectors = store.kind === "server" ? await startPglite() : undefined;
  const target =
    vectors === undefined
      ? `dataDir: "${join(dir, "knowledge")}"`
      : `connectionString: "${vectors.url}"`;
  let engine: Awaited<ReturnType<typeof createFlowEngine>> | undefined;
  let running: Promise<void> | undefined;
  let gateway: Gateway | undefined;
  try {
    await db.query(
      `CREATE TABLE ${source} (id int PRIMARY KEY, title text, body text, topic text)`,
    );
    await writeFile(
      join(dir, "sophia.yaml"),
      `gateway: { listen: "127.0.0.1:0" }
servers:
  knowledge:
    builtin: knowledge
    options: { ${target}, table: ${name}_chunks, poolSize: 2 }
flows:
  ${name}:
    source: { postgres: "${PG_URL}", tables: [${source}] }
    transforms:
      - embed: { fields: [title, body] }
    sinks:
      vec: { pgvector: { ${target}, table: ${name}_chunks, dimensions: 384, textColumns: [title, body] } }
    batch: { size: 100, maxWait: 2ms }
    state: { dir: "${join(dir, "state")}" }
`,
    );
    const config = await loadConfig({ file: join(dir, "sophia.yaml"), cwd: dir, env: {} });
    const [spec] = readFlows(config);
    assert.ok(spec);
    engine = await createFlowEngine(spec, { config, cwd: dir, logger: silentLogger() });
    running = engine.run();
    const builtins = builtinServers({
      config,
      cwd: dir,
      version: "test",
      embedder: () => createLocalEmbedder(),
    });
    gateway = new Gateway({ config, logger: silentLogger(), builtins });
    const url = await gateway.listen();
    await gateway.startUpstreams();
    const client = await connectClient(`${url}/mcp`);

    // A first row proves the flow is capturing before anything is timed.
    await db.query(`INSERT INTO ${source} VALUES (1, 'Warm up', 'zebracorn pastures', 'misc')`);
    await timeUntil(
      "the warm-up row",
      async () => (await search(client, "zebracorn", "text")).length > 0,
    );

    await db.query(
      `INSERT INTO ${source} VALUES (2, 'Heron migration', 'Grey herons quillivate along the estuary', 'birds')`,
    );
    const insertMs = await timeUntil("the inserted row", async () =>
      (await search(client, "quillivate herons")).some(
        (hit) => hit.id === `${source}:{"id":2}` && hit.text.includes("quillivate"),
      ),
    );

    await db.query(`UPDATE ${source} SET body = 'Grey herons brambulate at dusk' WHERE id = 2`);
    const updateMs = await timeUntil("the updated text", async () =>
      (await search(client, "brambulate")).some((hit) => hit.text.includes("brambulate")),
    );
    assert.deepEqual(await search(client, "quillivate", "text"), []);
    assert.ok(
      (await search(client, "quillivate")).every((hit) => !hit.text.includes("quillivate")),
    );

    await db.query(`DELETE FROM ${source} WHERE id = 2`);
    const deleteMs = await timeUntil("the deleted row gone", async () =>
      (await search(client, "herons brambulate")).every((hit) => !hit.id.endsWith(':{"id":2}')),
    );
    const fetched = await callJson(client, "knowledge__fetch", { id: `${source}:{"id":2}` });
    assert.equal(fetched.isError, true);

    process.stdout.write(
      `# knowledge loop (${store.kind}): insert ${insertMs.toFixed(0)} ms, update ${updateMs.toFixed(0)} ms, delete ${deleteMs.toFixed(0)} ms\n`,
    );
    for (const [what, ms] of [
      ["insert", insertMs],
      ["update", updateMs],
      ["delete", deleteMs],
    ] as const)
      assert.ok(ms < 1000, `${what} took ${ms.toFixed(0)} ms to reach knowledge__search`);
    await client.close();
  } finally {
    await gateway?.stop();
    await engine?.stop();
    await running?.catch(() => undefined);
    await dropSlot(db, `sophia_${name}`).catch(() => undefined);
    await db.query(`DROP PUBLICATION IF EXISTS sophia_${name}`).catch(() => undefined);
    await db.query(`DROP TABLE IF EXISTS ${source}`).catch(() => undefined);
    await db.end();
    await vectors?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test(
  "knowledge loop: insert, update and delete at the source reach knowledge__search",
  {
    timeout: 120_000,
  },
  () => knowledgeLoop({ kind: "server" }),
);

test(
  "knowledge loop on the embedded store: flow and knowledge share one PGlite by dataDir",
  {
    timeout: 120_000,
  },
  () => knowledgeLoop({ kind: "embedded" }),
);
