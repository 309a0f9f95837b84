/**
 * Column text (as the walsender prints it with DateStyle=ISO, TimeZone=UTC)
 * → the JS value events.ts promises, chosen once per column by type OID.
 */
import { type ElementParser, parseArrayLiteral } from "./array-literal.ts";

export type ValueParser = (text: string) => unknown;

const asText: ValueParser = (text) => text;
const asNumber: ValueParser = (text) => Number(text);
const asBool: ValueParser = (text) => text === "t";
const asJson: ValueParser = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** "2024-01-02 03:04:05.5+00" → "2024-01-02T03:04:05.5Z"; infinity and BC stay as printed. */
const asTimestamp: ValueParser = (text) => {
  if (text.length < 19 || text.charCodeAt(10) !== 0x20 || text.endsWith(" BC")) return text;
  let iso = `${text.slice(0, 10)}T${text.slice(11)}`;
  if (iso.endsWith("+00")) iso = `${iso.slice(0, -3)}Z`;
  else if (/[+-]\d\d$/.test(iso)) iso = `${iso}:00`;
  return iso;
};

/** pgvector's "[1,2.5,3]". */
const asVector: ValueParser = (text) => {
  const inner = text.slice(1, -1).trim();
  return inner === "" ? [] : inner.split(",").map(Number);
};

/** Scalar parsers for built-in type OIDs (pg_type.h). */
const SCALARS = new Map<number, ValueParser>([
  [16, asBool],
  [21, asNumber], // int2
  [23, asNumber], // int4
  [26, asNumber], // oid
  [700, asNumber], // float4
  [701, asNumber], // float8
  [20, asText], // int8: beyond 2^53, kept exact as text
  [1700, asText], // numeric
  [114, asJson],
  [3802, asJson],
  [1114, asTimestamp],
  [1184, asTimestamp],
]);

/** Array type OID → element type OID. */
const ARRAYS = new Map<number, number>([
  [1000, 16],
  [1005, 21],
  [1007, 23],
  [1028, 26],
  [1021, 700],
  [1022, 701],
  [1016, 20],
  [1231, 1700],
  [199, 114],
  [3807, 3802],
  [1115, 1114],
  [1185, 1184],
  [1009, 25],
  [1015, 1043],
  [1014, 1042],
  [1182, 1082],
  [2951, 2950],
]);

/**
 * The parser for a column. `typeName` comes from pgoutput's Type message or
 * the catalog for types without a fixed OID (pgvector's `vector`).
 */
export function parserFor(typeOid: number, typeName?: string): ValueParser {
  const scalar = SCALARS.get(typeOid);
  if (scalar !== undefined) return scalar;
  const elementOid = ARRAYS.get(typeOid);
  if (elementOid !== undefined) {
    const element: ElementParser = SCALARS.get(elementOid) ?? asText;
    return (text) => parseArrayLiteral(text, element);
  }
  if (typeName === "vector") return asVector;
  return asText;
}
