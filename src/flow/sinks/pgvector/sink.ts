/**
 * pgvector sink: one row per source key and chunk, with the embedding, the
 * chunk's text and the row's other columns as metadata. One transaction per
 * batch holds the rows and the checkpoint (exactly-once effect).
 */

import type { PoolClient } from "pg";
import pg from "pg";
import {
  acquireEmbeddedPostgres,
  type EmbeddedPostgres,
} from "../../../shared/embedded-postgres.ts";
import { errorMessage, SophiaError } from "../../../shared/errors.ts";
import type { Logger } from "../../../shared/logger.ts";
import type { ChangeBatch } from "../../events.ts";
import type { Sink } from "../../sink.ts";
import { afterCheckpoint } from "../shared/checkpoint-fence.ts";
import {
  checkpointDdl,
  lockCheckpoint,
  readCheckpoint,
  saveCheckpoint,
} from "../shared/pg-checkpoint.ts";
import { writeBatchInTransaction } from "../shared/pg-transaction.ts";
import { qualified } from "../shared/sql.ts";
import { ensureVectorExtension, vectorTypeOid } from "./extension.ts";
import type { PgvectorSinkOptions } from "./options.ts";
import { type KeyAction, planVectorBatch } from "./plan.ts";
import {
  deleteKeys,
  type EmbeddingColumn,
  tableDdl,
  trimChunks,
  updateMetadata,
  upsertChunks,
} from "./statements.ts";

export interface PgvectorSinkDeps {
  logger: Logger;
  flow: string;
}

function checkDimensions(name: string, actions: KeyAction[], dimensions: number): void {
  for (const action of actions) {
    if (action.type !== "upsert") continue;
    const bad = action.chunks.find(
      (c) => c.embedding !== null && c.embedding.length !== dimensions,
    );
    if (bad === undefined) continue;
    throw new SophiaError(
      "FLOW_SINK_FAILED",
      `sink "${name}": ${action.table} key ${action.key} chunk ${bad.index} has ${bad.embedding?.length} dimensions, the table ${dimensions}`,
      {
        hint: "make the sink's dimensions equal to the embed transform's (and recreate the table if it changed)",
      },
    );
  }
}

export function createPgvectorSink(
  name: string,
  options: PgvectorSinkOptions,
  deps: PgvectorSinkDeps,
): Sink {
  let pool: pg.Pool | undefined;
  let embedded: EmbeddedPostgres | undefined;
  let column: EmbeddingColumn = { type: "real[]", dimensions: options.dimensions };
  const table = qualified(options.schema, options.table);
  const checkpointSchema = options.checkpointSchema ?? options.schema;

  async function applyKeys(client: PoolClient, actions: KeyAction[]): Promise<void> {
    checkDimensions(name, actions, options.dimensions);
    const has = (type: KeyAction["type"]) => actions.some((a) => a.type === type);
    const statements = [
      has("delete") ? deleteKeys(table, actions) : undefined,
      has("upsert") ? upsertChunks(table, actions, column) : undefined,
      has("upsert") ? trimChunks(table, actions) : undefined,
      has("metadata") ? updateMetadata(table, actions) : undefined,
    ];
    for (const statement of statements) {
      if (statement !== undefined) await client.query(statement.text, statement.values);
    }
  }

  async function writeIn(client: PoolClient, batch: ChangeBatch): Promise<void> {
    const stored = await lockCheckpoint(client, checkpointSchema, deps.flow, name);
    for (const step of planVectorBatch(
      afterCheckpoint(batch.events, stored),
      options.textColumns,
    )) {
      if (step.kind === "keys") await applyKeys(client, [...step.actions.values()]);
      else await client.query(`DELETE FROM ${table} WHERE source_table = $1`, [step.table]);
    }
    if (batch.checkpoint !== undefined) {
      await saveCheckpoint(client, checkpointSchema, deps.flow, name, batch.checkpoint);
    }
  }

  function connected(): pg.Pool {
    if (pool !== undefined) return pool;
    throw new SophiaError("FLOW_SINK_FAILED", `sink "${name}" was used before start()`, {
      hint: "the flow engine starts each sink before writing; this is a bug to report",
    });
  }

  async function prepare(db: pg.Pool): Promise<void> {
    if (options.columnType === "vector") await ensureVectorExtension(db, name, options.createTable);
    if (options.createTable)
      await db.query(tableDdl(table, options.dimensions, options.columnType));
    await db.query(checkpointDdl(checkpointSchema));
    if (options.columnType === "vector") {
      const { dimensions } = options;
      column = { type: "vector", dimensions, oid: await vectorTypeOid(db, name) };
    }
  }

  return {
    name,
    guarantee: "exactly-once",
    async start() {
      try {
        if (pool === undefined) {
          if (options.connectionString === undefined)
            embedded = await acquireEmbeddedPostgres(options.dataDir);
          const url = options.connectionString ?? embedded?.connectionString;
          pool = new pg.Pool({ connectionString: url, max: options.poolSize });
          pool.on("error", () => {});
        }
        await prepare(pool);
      } catch (error) {
        if (error instanceof SophiaError) throw error;
        throw new SophiaError(
          "FLOW_SINK_FAILED",
          `sink "${name}": cannot prepare ${table}: ${errorMessage(error)}`,
          {
            hint:
              options.connectionString === undefined
                ? `the embedded store in ${options.dataDir}: check the folder is writable`
                : `check connectionString and that schema "${options.schema}" exists and is writable`,
            cause: error,
          },
        );
      }
    },
    write: (batch) =>
      writeBatchInTransaction(connected(), name, table, (client) => writeIn(client, batch)),
    storedCheckpoint: () => readCheckpoint(connected(), checkpointSchema, deps.flow, name),
    async stop() {
      const current = pool;
      const store = embedded;
      pool = undefined;
      embedded = undefined;
      await current?.end();
      await store?.release();
    },
  };
}
