/**
 * JSON schemas of PostgreSQL columns as Estuary's PostgreSQL capture
 * documents them (pure): numeric as a numeric string, timestamps as
 * date-time strings, json as any value.
 */
import type { ExportColumn, ExportTable } from "./spec.ts";

export type JsonSchema = Record<string, unknown>;

const BY_TYPE: Record<string, JsonSchema> = {
  boolean: { type: "boolean" },
  smallint: { type: "integer" },
  integer: { type: "integer" },
  bigint: { type: "integer" },
  oid: { type: "integer" },
  real: { type: "number" },
  "double precision": { type: "number" },
  numeric: { type: "string", format: "number" },
  money: { type: "string" },
  text: { type: "string" },
  "character varying": { type: "string" },
  character: { type: "string" },
  name: { type: "string" },
  citext: { type: "string" },
  uuid: { type: "string", format: "uuid" },
  date: { type: "string", format: "date" },
  "timestamp with time zone": { type: "string", format: "date-time" },
  "timestamp without time zone": { type: "string", format: "date-time" },
  "time with time zone": { type: "string" },
  "time without time zone": { type: "string" },
  interval: { type: "string" },
  bytea: { type: "string", contentEncoding: "base64" },
  json: {},
  jsonb: {},
  vector: { type: "array", items: { type: "number" } },
};

/** udt names (pg_type.typname) → the names format_type() prints. */
const ALIASES: Record<string, string> = {
  bool: "boolean",
  int2: "smallint",
  int4: "integer",
  int: "integer",
  int8: "bigint",
  float4: "real",
  float8: "double precision",
  decimal: "numeric",
  varchar: "character varying",
  char: "character",
  bpchar: "character",
  timestamptz: "timestamp with time zone",
  timestamp: "timestamp without time zone",
  timetz: "time with time zone",
  time: "time without time zone",
};

export function typeSchema(type: string): JsonSchema {
  const text = type.trim().toLowerCase();
  if (text.endsWith("[]")) return { type: "array", items: typeSchema(text.slice(0, -2)) };
  if (text.startsWith("_")) return { type: "array", items: typeSchema(text.slice(1)) };
  const base = text.replace(/\s*\(.*\)/, "");
  return { ...(BY_TYPE[ALIASES[base] ?? base] ?? {}) };
}

/** A nullable column also accepts null; a schema without a type already accepts anything. */
export function columnSchema(column: ExportColumn): JsonSchema {
  const schema = typeSchema(column.type);
  if (!column.nullable || typeof schema.type !== "string") return schema;
  return { ...schema, type: [schema.type, "null"] };
}

export function tableSchema(table: ExportTable): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const column of table.columns) properties[column.name] = columnSchema(column);
  return { type: "object", properties, required: [...table.key] };
}

/** RFC 6901: "~" → "~0", "/" → "~1". */
export function jsonPointer(column: string): string {
  return `/${column.replaceAll("~", "~0").replaceAll("/", "~1")}`;
}
