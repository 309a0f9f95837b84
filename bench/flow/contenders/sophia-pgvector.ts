/**
 * Sophia with a pgvector sink: `sophia flow run --config` on a generated
 * sophia.yaml — the embed transform (built-in local embedder, 384
 * dimensions, over `payload`) and a pgvector sink into this PostgreSQL.
 * This server has no pgvector extension, so the sink stores `real[]`
 * (its documented fallback); the write path is otherwise the same.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { PolledTable } from "../sink-poller.ts";
import type { RunContext } from "./index.ts";

/** The sink's own schema (its table and checkpoint), created before and dropped after. */
export function vectorTable(ctx: RunContext): string {
  return `${ctx.flowName}.vec`;
}

export const VECTOR_ROWS: (ctx: RunContext) => PolledTable = (ctx) => ({
  table: vectorTable(ctx),
  tsExpr: "(metadata->>'ts_ms')::float8",
  keyExpr: "key",
});

function configYaml(ctx: RunContext): string {
  const q = (text: string) => JSON.stringify(text);
  return `flows:
  ${ctx.flowName}:
    source:
      postgres: ${q(ctx.url)}
      tables: [${q(ctx.table)}]
    transforms:
      - embed: { fields: [payload], provider: local }
    sinks:
      vec:
        pgvector:
          connectionString: ${q(ctx.url)}
          schema: ${q(ctx.flowName)}
          table: vec
          dimensions: 384
          textColumns: [payload]
          columnType: "real[]"
    state: { dir: ${q(join(ctx.tmp, "state"))} }
`;
}

export function startSophiaPgvector(ctx: RunContext): ChildProcess {
  const file = join(ctx.tmp, "sophia.yaml");
  writeFileSync(file, configYaml(ctx));
  const args = [join(ctx.root, "src/cli/main.ts"), "flow", "run", "--config", file];
  return spawn(ctx.node, [...args, "--log-level", "warn"], {
    cwd: ctx.tmp,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function onSource(ctx: RunContext, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ctx.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const createVectorSchema = (ctx: RunContext) =>
  onSource(ctx, `CREATE SCHEMA IF NOT EXISTS ${ctx.flowName}`);

export const dropVectorSchema = (ctx: RunContext) =>
  onSource(ctx, `DROP SCHEMA IF EXISTS ${ctx.flowName} CASCADE`);
