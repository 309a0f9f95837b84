/**
 * PostgreSQL replica sink: keeps a copy of each source table in a target
 * database. One transaction per batch holds the rows and the checkpoint, so
 * the effect is exactly-once: a redelivered batch changes nothing.
 */
import type { PoolClient } from "pg";
import pg from "pg";
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
import { type PostgresSinkOptions, targetTableName } from "./options.ts";
import { planBatch, type RowAction, type TableActions } from "./plan.ts";
import {
  deleteStatement,
  groupByColumns,
  LSN_COLUMN,
  SEQ_COLUMN,
  upsertStatement,
} from "./statements.ts";
import { addFenceColumns, columnTypes, createFromSource } from "./table-info.ts";

export interface PostgresSinkDeps {
  logger: Logger;
  flow: string;
  /** The flow's source database, to copy column types when `createTable` is set. */
  sourceConnectionString?: string;
}

export function createPostgresSink(
  name: string,
  options: PostgresSinkOptions,
  deps: PostgresSinkDeps,
): Sink {
  let pool: pg.Pool | undefined;
  const types = new Map<string, Map<string, string>>();
  const checkpointSchema = options.checkpointSchema ?? options.schema;

  function targetOf(source: { schema: string; table: string }) {
    return {
      schema: options.schema,
      table: targetTableName(options.table, source.schema, source.table),
    };
  }

  async function typesOf(client: PoolClient, table: TableActions, keyColumns: string[]) {
    const target = targetOf(table.source);
    const id = qualified(target.schema, target.table);
    const cached = types.get(id);
    if (cached !== undefined) return { id, columns: cached };
    let columns = await columnTypes(client, target.schema, target.table);
    if (columns.size === 0 && options.createTable) {
      await createFromSource(client, deps.sourceConnectionString, table.source, target, keyColumns);
      columns = await columnTypes(client, target.schema, target.table);
    }
    if (columns.size === 0) {
      throw new SophiaError(
        "FLOW_SINK_FAILED",
        `sink "${name}": target table ${id} does not exist`,
        {
          hint: "create it (same columns and primary key as the source) or set createTable: true",
        },
      );
    }
    if (!columns.has(LSN_COLUMN) || !columns.has(SEQ_COLUMN)) {
      await addFenceColumns(client, target.schema, target.table);
      columns = await columnTypes(client, target.schema, target.table);
    }
    types.set(id, columns);
    return { id, columns };
  }

  async function applyTable(client: PoolClient, table: TableActions): Promise<void> {
    const actions = [...table.rows.values()];
    const keyColumns = Object.keys(actions[0]!.key);
    const { id, columns } = await typesOf(client, table, keyColumns);
    const groups = groupByColumns(actions);
    const missing = [...new Set([...groups.values()].flatMap((g) => g.columns))].filter(
      (c) => !columns.has(c),
    );
    if (missing.length > 0) {
      throw new SophiaError(
        "FLOW_SINK_FAILED",
        `sink "${name}": ${id} has no column ${missing.join(", ")}`,
        {
          hint: `the source table gained columns: ALTER TABLE ${id} ADD COLUMN … with the source's types`,
        },
      );
    }
    const deletes = actions.filter((a: RowAction) => a.type === "delete");
    if (deletes.length > 0) {
      const statement = deleteStatement(id, keyColumns, columns, deletes);
      await client.query(statement.text, statement.values);
    }
    for (const group of groups.values()) {
      const statement = upsertStatement(id, group.columns, keyColumns, columns, group.actions);
      await client.query(statement.text, statement.values);
    }
  }

  async function writeIn(client: PoolClient, batch: ChangeBatch): Promise<void> {
    const stored = await lockCheckpoint(client, checkpointSchema, deps.flow, name);
    for (const step of planBatch(afterCheckpoint(batch.events, stored))) {
      if (step.kind === "rows") {
        for (const table of step.tables.values()) await applyTable(client, table);
        continue;
      }
      const target = targetOf(step.source);
      const exists = (await columnTypes(client, target.schema, target.table)).size > 0;
      if (exists) await client.query(`TRUNCATE ${qualified(target.schema, target.table)}`);
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

  return {
    name,
    guarantee: "exactly-once",
    async start() {
      pool ??= new pg.Pool({ connectionString: options.connectionString, max: options.poolSize });
      try {
        await pool.query(checkpointDdl(checkpointSchema));
      } catch (error) {
        throw new SophiaError(
          "FLOW_SINK_FAILED",
          `sink "${name}": cannot prepare the target database: ${errorMessage(error)}`,
          {
            hint: `check connectionString and that schema "${checkpointSchema}" exists and is writable`,
            cause: error,
          },
        );
      }
    },
    async write(batch) {
      try {
        await writeBatchInTransaction(connected(), name, "its tables", (client) =>
          writeIn(client, batch),
        );
      } catch (error) {
        types.clear(); // a rolled-back CREATE/ALTER must be looked up again
        throw error;
      }
    },
    storedCheckpoint: () => readCheckpoint(connected(), checkpointSchema, deps.flow, name),
    async stop() {
      const current = pool;
      pool = undefined;
      await current?.end();
    },
  };
}
