/**
 * A Debezium-compatible envelope, so consumers written for Debezium's
 * PostgreSQL connector (Kafka Connect JSON without the schema part) read our
 * events unchanged.
 */
import type { ChangeEvent, Operation, Row } from "../events.ts";

export type DebeziumOp = "c" | "u" | "d" | "t" | "r";

export interface DebeziumEnvelope {
  before: Row | null;
  after: Row | null;
  source: {
    version: string;
    connector: "postgresql";
    /** Logical name of the source (Debezium's `topic.prefix`). */
    name: string;
    /** Commit time of the transaction. */
    ts_ms: number;
    /** "true" for snapshot rows, "false" for streamed changes (Debezium's strings). */
    snapshot: "true" | "false";
    db: string;
    schema: string;
    table: string;
    txId: number;
    /** Commit end LSN as a number, as Debezium writes it. */
    lsn: number;
  };
  op: DebeziumOp;
  /** When the envelope was made. */
  ts_ms: number;
}

export interface DebeziumOptions {
  /** Logical source name (Debezium's `topic.prefix`). */
  name: string;
  /** Database name of the source. */
  db: string;
  /** Written as `source.version`; says which producer made the envelope. */
  version?: string;
  /** Clock for the envelope's `ts_ms`; defaults to the commit time so output stays deterministic. */
  nowMs?: number;
}

const OPS: Record<Operation, DebeziumOp> = {
  insert: "c",
  update: "u",
  delete: "d",
  truncate: "t",
  read: "r",
};

export const DEBEZIUM_SOURCE_VERSION = "sophia-0.1.0";

/**
 * Pure. Columns that an update left unchanged (TOAST) are absent from `after`
 * rather than filled with Debezium's placeholder string, so a consumer never
 * writes a placeholder over a real value.
 */
export function toDebezium(event: ChangeEvent, options: DebeziumOptions): DebeziumEnvelope {
  const { source } = event;
  return {
    before: event.op === "delete" && event.before === null ? event.key : event.before,
    after: event.after,
    source: {
      version: options.version ?? DEBEZIUM_SOURCE_VERSION,
      connector: "postgresql",
      name: options.name,
      ts_ms: source.commitTimeMs,
      snapshot: event.op === "read" ? "true" : "false",
      db: options.db,
      schema: source.schema,
      table: source.table,
      txId: source.txId,
      lsn: Number(source.commitLsn),
    },
    op: OPS[event.op],
    ts_ms: options.nowMs ?? source.commitTimeMs,
  };
}
