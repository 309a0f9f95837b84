/**
 * Builds the Estuary export's input from configured flows and the source
 * database's catalog (column types, nullability, keys). Passwords are never
 * copied: each becomes the name of a secret (`SOPHIA_<FLOW>_<PART>_PASSWORD`)
 * the catalog references as `${NAME}`.
 */
import pg from "pg";
import type { z } from "zod";
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import type { TableSelection } from "../capture/api.ts";
import type { FlowSpec, SinkSpec } from "../config/types.ts";
import { pgvectorSinkOptions } from "../sinks/pgvector/options.ts";
import { postgresSinkOptions, targetTableName } from "../sinks/postgres/options.ts";
import { webhookSinkOptions } from "../sinks/webhook/options.ts";
import type {
  ExportColumn,
  ExportSink,
  ExportSource,
  ExportTable,
  FlowSpecForExport,
} from "./spec.ts";

/** Header names whose values are credentials: exported as secret references. */
const SECRET_HEADER = /auth|token|key|secret|cookie|password/i;

export function secretName(...parts: string[]): string {
  return ["SOPHIA", ...parts, "PASSWORD"]
    .join("_")
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_");
}

/** host:port, database and user of a postgres:// URL; its password is left out. */
export function connectionParts(url: string, secret: string): ExportSource {
  const parsed = new URL(url);
  return {
    address: `${parsed.hostname || "localhost"}:${parsed.port || "5432"}`,
    database:
      decodeURIComponent(parsed.pathname.slice(1)) ||
      decodeURIComponent(parsed.username) ||
      "postgres",
    user: decodeURIComponent(parsed.username) || "postgres",
    passwordSecret: secret,
  };
}

/** Columns (in table order) and key columns (primary key, else replica identity index). */
export async function describeTable(
  db: pg.ClientBase,
  selection: TableSelection,
): Promise<ExportTable> {
  const [schema = "", table = ""] = selection.table.split(".");
  const columns = await db.query<ExportColumn>(
    `SELECT c.column_name AS name, format_type(a.atttypid, a.atttypmod) AS type, c.is_nullable = 'YES' AS nullable
       FROM information_schema.columns c
       JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass
                          AND a.attname = c.column_name
      WHERE c.table_schema = $1 AND c.table_name = $2
      ORDER BY c.ordinal_position`,
    [schema, table],
  );
  if (columns.rows.length === 0)
    throw new SophiaError(
      "FLOW_SOURCE_NOT_READY",
      `table ${selection.table} does not exist in the source`,
      {
        hint: "create it, or remove it from the flow's source.tables",
      },
    );
  const keys = await db.query<{ name: string; primary: boolean }>(
    `SELECT a.attname AS name, i.indisprimary AS primary
       FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = format('%I.%I', $1::text, $2::text)::regclass AND (i.indisprimary OR i.indisreplident)
      ORDER BY i.indisprimary DESC, array_position(i.indkey::int2[], a.attnum)`,
    [schema, table],
  );
  const hasPrimary = keys.rows.some((k) => k.primary);
  const key = keys.rows.filter((k) => k.primary === hasPrimary).map((k) => k.name);
  if (key.length === 0)
    throw new SophiaError("FLOW_SOURCE_NOT_READY", `table ${selection.table} has no primary key`, {
      hint: `add a primary key to ${selection.table}: Estuary collections need a key`,
    });
  const wanted =
    selection.columns === undefined ? undefined : new Set([...selection.columns, ...key]);
  return {
    schema,
    table,
    columns: columns.rows.filter((c) => wanted === undefined || wanted.has(c.name)),
    key,
  };
}

function options<T>(sink: SinkSpec, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse({ kind: sink.kind, ...(sink.options as object) });
  if (parsed.success) return parsed.data;
  throw new SophiaError(
    "CONFIG_INVALID",
    `${sink.path.join(".")}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    {
      hint: "fix the sink's options (sophia flow run reports the same problem at file:line:col)",
    },
  );
}

export function exportSink(flow: FlowSpec, sink: SinkSpec): ExportSink {
  if (sink.kind === "webhook") {
    const o = options(sink, webhookSinkOptions);
    const headers: Record<string, string> = {};
    const secretHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(o.headers)) {
      if (SECRET_HEADER.test(name))
        secretHeaders[name] = secretName(flow.name, sink.name, name).replace(/_PASSWORD$/, "");
      else headers[name] = value;
    }
    return { kind: "webhook", name: sink.name, url: o.url, headers, secretHeaders };
  }
  if (sink.kind === "postgres" || sink.kind === "pgvector") {
    const o =
      sink.kind === "postgres"
        ? options(sink, postgresSinkOptions)
        : options(sink, pgvectorSinkOptions);
    if (o.connectionString === undefined) {
      throw new SophiaError(
        "USAGE",
        `flow "${flow.name}" sink "${sink.name}" writes to the embedded store, which Estuary cannot reach`,
        { hint: "set the sink's connectionString to a PostgreSQL with pgvector before exporting" },
      );
    }
    const targets: Record<string, string> = {};
    for (const t of flow.source.tables) {
      const [schema = "", table = ""] = t.table.split(".");
      targets[t.table] =
        sink.kind === "postgres" ? targetTableName(o.table, schema, table) : o.table;
    }
    return {
      kind: sink.kind,
      name: sink.name,
      ...connectionParts(o.connectionString, secretName(flow.name, sink.name)),
      schema: o.schema,
      targets,
    };
  }
  return { kind: sink.kind, name: sink.name };
}

/** Reads each flow's tables from its source database; one connection per flow. */
export async function exportSpecsFromConfig(flows: FlowSpec[]): Promise<FlowSpecForExport[]> {
  const specs: FlowSpecForExport[] = [];
  for (const flow of flows) {
    const db = new pg.Client({ connectionString: flow.source.connectionString });
    try {
      await db.connect().catch((error: unknown) => {
        throw new SophiaError(
          "FLOW_SOURCE_NOT_READY",
          `flow ${flow.name}: cannot read the source's catalog: ${errorMessage(error)}`,
          {
            hint: "the export reads column types and keys from the source: check source.postgres",
            cause: error,
          },
        );
      });
      const tables: ExportTable[] = [];
      for (const selection of flow.source.tables) tables.push(await describeTable(db, selection));
      specs.push({
        name: flow.name,
        source: connectionParts(flow.source.connectionString, secretName(flow.name, "source")),
        tables,
        sinks: flow.sinks.map((sink) => exportSink(flow, sink)),
      });
    } finally {
      await db.end().catch(() => undefined);
    }
  }
  return specs;
}
