/** Dead letters in the flow's state database: table `sophia_flow_dlq` in a configured schema. */
import pg from "pg";
import { SophiaError } from "../../../shared/errors.ts";
import { stringify } from "../shared/event-json.ts";
import { qualified } from "../shared/sql.ts";
import type { DeadLetter, DeadLetterFilter, DeadLetterStore, NewDeadLetter } from "./store.ts";

export const DEAD_LETTER_TABLE = "sophia_flow_dlq";

export interface PostgresDeadLetterOptions {
  connectionString: string;
  schema: string;
}

interface LetterRow {
  id: string;
  flow: string;
  sink: string;
  created_at: Date;
  idempotency_key: string;
  reason: string;
  attempts: number;
  events: DeadLetter["events"];
}

function toLetter(row: LetterRow): DeadLetter {
  return {
    id: row.id,
    flow: row.flow,
    sink: row.sink,
    createdAt: row.created_at.toISOString(),
    idempotencyKey: row.idempotency_key,
    reason: row.reason,
    attempts: row.attempts,
    events: row.events,
  };
}

export function createPostgresDeadLetterStore(options: PostgresDeadLetterOptions): DeadLetterStore {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 2 });
  const table = qualified(options.schema, DEAD_LETTER_TABLE);
  const columns =
    "id::text AS id, flow, sink, created_at, idempotency_key, reason, attempts, events";

  return {
    async start() {
      try {
        await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          flow text NOT NULL, sink text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          idempotency_key text NOT NULL, reason text NOT NULL,
          attempts int NOT NULL, events jsonb NOT NULL)`);
      } catch (error) {
        throw new SophiaError("FLOW_STATE", `cannot create dead-letter table ${table}`, {
          hint: `check that the state database is reachable and schema "${options.schema}" exists`,
          cause: error,
        });
      }
    },
    async add(letter: NewDeadLetter) {
      const result = await pool.query<LetterRow>(
        `INSERT INTO ${table} (flow, sink, idempotency_key, reason, attempts, events)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING ${columns}`,
        [
          letter.flow,
          letter.sink,
          letter.idempotencyKey,
          letter.reason,
          letter.attempts,
          stringify(letter.events),
        ],
      );
      return toLetter(result.rows[0]!);
    },
    async list(filter: DeadLetterFilter = {}) {
      const result = await pool.query<LetterRow>(
        `SELECT ${columns} FROM ${table}
         WHERE ($1::text IS NULL OR flow = $1) AND ($2::text IS NULL OR sink = $2)
         ORDER BY id LIMIT $3`,
        [filter.flow ?? null, filter.sink ?? null, filter.limit ?? 100],
      );
      return result.rows.map(toLetter);
    },
    async get(id: string) {
      if (!/^\d+$/.test(id)) return undefined;
      const result = await pool.query<LetterRow>(`SELECT ${columns} FROM ${table} WHERE id = $1`, [
        id,
      ]);
      const row = result.rows[0];
      return row === undefined ? undefined : toLetter(row);
    },
    async drop(ids: string[]) {
      const numeric = ids.filter((id) => /^\d+$/.test(id));
      if (numeric.length === 0) return 0;
      const result = await pool.query(`DELETE FROM ${table} WHERE id = ANY($1::bigint[])`, [
        numeric,
      ]);
      return result.rowCount ?? 0;
    },
    async stop() {
      await pool.end();
    },
  };
}
