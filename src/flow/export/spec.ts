/**
 * What the Estuary export needs to know about a flow: built by the engine
 * from the flow's configuration and catalog queries on the source database.
 * It holds no secrets: passwords and secret headers are names of secrets
 * (environment variables), written as `${NAME}` references.
 */

export interface ExportColumn {
  name: string;
  /** PostgreSQL type as `format_type()` prints it ("integer", "text[]", "timestamp with time zone", "vector(384)") or its udt name ("int4", "_text"). */
  type: string;
  nullable: boolean;
}

export interface ExportTable {
  schema: string;
  table: string;
  columns: ExportColumn[];
  /** Primary key (or replica identity) columns, in key order. */
  key: string[];
}

export interface ExportSource {
  /** host:port of the source database. */
  address: string;
  database: string;
  user: string;
  /** Name of the secret holding the password (e.g. the variable the Sophia config reads it from). */
  passwordSecret: string;
}

export interface ExportWebhookSink {
  kind: "webhook";
  name: string;
  url: string;
  /** Headers whose values are not secret. */
  headers?: Record<string, string>;
  /** Header name → name of the secret holding its value. */
  secretHeaders?: Record<string, string>;
}

export interface ExportPostgresSink {
  kind: "postgres" | "pgvector";
  name: string;
  address: string;
  database: string;
  user: string;
  passwordSecret: string;
  /** Schema the tables are written to; the connector's default ("public") when absent. */
  schema?: string;
  /** "schema.table" of a source table → target table name; the source table's name when absent. */
  targets?: Record<string, string>;
}

/** Sinks Estuary has no counterpart for here (Redis, NATS, Qdrant…): listed in the header, not exported. */
export interface ExportOtherSink {
  kind: string;
  name: string;
}

export type ExportSink = ExportWebhookSink | ExportPostgresSink | ExportOtherSink;

export interface FlowSpecForExport {
  /** The flow's name in sophia.yaml. */
  name: string;
  source: ExportSource;
  tables: ExportTable[];
  sinks: ExportSink[];
}

export interface EstuaryExportOptions {
  /** Estuary catalog prefix ("acme/prod"); every name starts with it. */
  prefix: string;
}
