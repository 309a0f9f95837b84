/**
 * Renders flows as an Estuary Flow catalog (flow.yaml), for teams moving a
 * pipeline to Estuary: a collection per source table, a PostgreSQL capture
 * per flow, a materialization per webhook or PostgreSQL/pgvector sink.
 * Pure and deterministic: the same flows always give the same text.
 */
import { stringify } from "yaml";
import { SophiaError } from "../../shared/errors.ts";
import { type JsonSchema, jsonPointer, tableSchema } from "./json-schema.ts";
import type {
  EstuaryExportOptions,
  ExportPostgresSink,
  ExportTable,
  ExportWebhookSink,
  FlowSpecForExport,
} from "./spec.ts";

export const ESTUARY_IMAGES = {
  source: "ghcr.io/estuary/source-postgres:dev",
  webhook: "ghcr.io/estuary/materialize-webhook:v1",
  postgres: "ghcr.io/estuary/materialize-postgres:dev",
} as const;

interface Collection {
  key: string[];
  schema: JsonSchema;
}

type Catalog = Record<"collections" | "captures" | "materializations", Record<string, unknown>>;

const PREFIX = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/** @throws SophiaError CONFIG_INVALID for a bad prefix or one collection name given two shapes */
export function estuaryCatalog(flows: FlowSpecForExport[], options: EstuaryExportOptions): string {
  if (!PREFIX.test(options.prefix))
    throw new SophiaError(
      "CONFIG_INVALID",
      `Estuary prefix ${JSON.stringify(options.prefix)} is not a catalog name`,
      {
        hint: 'use letters, digits, "-", "_", "." and "/" between parts, such as "acme/prod"',
      },
    );
  const catalog: Catalog = { collections: {}, captures: {}, materializations: {} };
  const notes: string[] = [];
  for (const flow of [...flows].sort((a, b) => compare(a.name, b.name)))
    addFlow(catalog, notes, flow, options.prefix);
  return header(notes) + stringify(sortCatalog(catalog), { lineWidth: 0 });
}

function addFlow(catalog: Catalog, notes: string[], flow: FlowSpecForExport, prefix: string): void {
  const tables = [...flow.tables].sort((a, b) => compare(qualified(a), qualified(b)));
  for (const table of tables) addCollection(catalog, collectionName(prefix, table), table);
  const flowPrefix = `${prefix}/${safe(flow.name)}`;
  catalog.captures[`${flowPrefix}/source-postgres`] = {
    endpoint: {
      connector: {
        image: ESTUARY_IMAGES.source,
        config: {
          address: flow.source.address,
          database: flow.source.database,
          user: flow.source.user,
          password: secretRef(flow.source.passwordSecret),
        },
      },
    },
    bindings: tables.map((t) => ({
      resource: { namespace: t.schema, stream: t.table },
      target: collectionName(prefix, t),
    })),
  };
  for (const sink of [...flow.sinks].sort((a, b) => compare(a.name, b.name))) {
    const name = `${flowPrefix}/${safe(sink.name)}`;
    if (sink.kind === "webhook")
      catalog.materializations[name] = webhook(sink as ExportWebhookSink, tables, prefix);
    else if (sink.kind === "postgres" || sink.kind === "pgvector") {
      catalog.materializations[name] = postgres(sink as ExportPostgresSink, tables, prefix);
      if (sink.kind === "pgvector")
        notes.push(
          `${name}: rows only; Estuary does not compute embeddings (Sophia's embed transform has no counterpart)`,
        );
    } else
      notes.push(
        `flow ${flow.name}, sink ${sink.name}: a ${sink.kind} sink has no Estuary materialization here; not exported`,
      );
  }
}

/** Webhook materializations are delta updates: every change document is POSTed as it comes. */
function webhook(sink: ExportWebhookSink, tables: ExportTable[], prefix: string): unknown {
  const url = new URL(sink.url);
  const customHeaders = [
    ...Object.entries(sink.headers ?? {}).map(([name, value]) => ({ name, value })),
    ...Object.entries(sink.secretHeaders ?? {}).map(([name, secret]) => ({
      name,
      value: secretRef(secret),
    })),
  ].sort((a, b) => compare(a.name, b.name));
  const config: Record<string, unknown> = { address: `${url.origin}/` };
  if (customHeaders.length > 0) config.headers = { customHeaders };
  const relativePath = `${url.pathname.slice(1)}${url.search}`;
  return {
    endpoint: { connector: { image: ESTUARY_IMAGES.webhook, config } },
    bindings: tables.map((t) => ({
      resource: { relativePath },
      source: collectionName(prefix, t),
    })),
  };
}

function postgres(sink: ExportPostgresSink, tables: ExportTable[], prefix: string): unknown {
  const config: Record<string, unknown> = {
    address: sink.address,
    database: sink.database,
    user: sink.user,
    password: secretRef(sink.passwordSecret),
  };
  if (sink.schema !== undefined) config.schema = sink.schema;
  return {
    endpoint: { connector: { image: ESTUARY_IMAGES.postgres, config } },
    bindings: tables.map((t) => ({
      resource: { table: sink.targets?.[qualified(t)] ?? t.table },
      source: collectionName(prefix, t),
    })),
  };
}

function addCollection(catalog: Catalog, name: string, table: ExportTable): void {
  const collection: Collection = { key: table.key.map(jsonPointer), schema: tableSchema(table) };
  const existing = catalog.collections[name];
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(collection))
    throw new SophiaError(
      "CONFIG_INVALID",
      `two flows capture different tables as Estuary collection ${name}`,
      {
        hint: "export those flows with different prefixes, or give the tables the same columns and key",
      },
    );
  catalog.collections[name] = collection;
}

/** `<prefix>/<table>` for the public schema, `<prefix>/<schema>/<table>` otherwise. */
export function collectionName(prefix: string, table: ExportTable): string {
  const path =
    table.schema === "public" ? safe(table.table) : `${safe(table.schema)}/${safe(table.table)}`;
  return `${prefix}/${path}`;
}

/** A secret is written as a reference to fill in before publishing; its value never reaches the file. */
function secretRef(name: string): string {
  return `\${${name}}`;
}

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9_.-]/g, "_");
}

function qualified(table: ExportTable): string {
  return `${table.schema}.${table.table}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortCatalog(catalog: Catalog): Catalog {
  const sorted = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
  return {
    collections: sorted(catalog.collections),
    captures: sorted(catalog.captures),
    materializations: sorted(catalog.materializations),
  };
}

function header(notes: string[]): string {
  const lines = [
    "Estuary Flow catalog generated by `sophia` from sophia.yaml. Do not edit by hand; export again.",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${NAME} is the reference syntax written to the file
    "Secrets are ${NAME} references: fill them in (e.g. envsubst) and encrypt the file with sops",
    "before `flowctl catalog publish`. Webhook materializations are delta updates (each change is POSTed).",
    ...notes.map((note) => `Note: ${note}`),
  ];
  return `${lines.map((line) => `# ${line}`).join("\n")}\n`;
}
