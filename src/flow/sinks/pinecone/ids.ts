/**
 * Pinecone record ids: `<table hash>-<key hash>#<chunk>`. Serverless indexes
 * cannot delete by metadata filter, so a key's (or a table's) records are
 * found by id prefix with `list` instead.
 */
import { createHash } from "node:crypto";
import type { Row } from "../../events.ts";

const hash = (text: string, length: number) =>
  createHash("sha1").update(text).digest("hex").slice(0, length);

export function tablePrefix(table: string): string {
  return `${hash(table, 12)}-`;
}

export function keyPrefix(table: string, key: string): string {
  return `${tablePrefix(table)}${hash(`${table}\n${key}`, 28)}#`;
}

export function recordId(table: string, key: string, chunk: number): string {
  return `${keyPrefix(table, key)}${chunk}`;
}

export function chunkOf(id: string): number {
  return Number(id.slice(id.lastIndexOf("#") + 1));
}

/** Pinecone metadata holds strings, numbers, booleans and string lists; the rest becomes JSON text, nulls are left out. */
export function pineconeMetadata(row: Row): Record<string, string | number | boolean | string[]> {
  const out: Record<string, string | number | boolean | string[]> = {};
  for (const [name, value] of Object.entries(row)) {
    if (value === null || value === undefined) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      out[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === "string")) out[name] = value;
    else out[name] = JSON.stringify(value);
  }
  return out;
}
