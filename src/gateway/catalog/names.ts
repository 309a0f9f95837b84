import { createHash } from "node:crypto";

/** Clients (Cursor, Claude Desktop, OpenAI) reject tool names longer than this. */
export const MAX_NAME_LENGTH = 64;

/**
 * Joins a server prefix and an upstream name into the aggregated name. Names
 * that would exceed the clients' 64-character limit are shortened
 * deterministically: the tail is replaced by a hash of the full name, so two
 * long names never collide and the catalog's reverse table stays exact.
 */
export function qualifyName(prefix: string, name: string, separator: string): string {
  const full = `${prefix}${separator}${name}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, MAX_NAME_LENGTH - hash.length - 1)}_${hash}`;
}

/**
 * Splits an aggregated name at the first separator. Only a fallback: the
 * catalog's table is authoritative (it knows shortened names); this serves
 * names the catalog has not listed yet, such as a tool added a moment ago.
 */
export function splitName(
  qualified: string,
  separator: string,
): { prefix: string; name: string } | undefined {
  const at = qualified.indexOf(separator);
  if (at <= 0 || at + separator.length >= qualified.length) return undefined;
  return { prefix: qualified.slice(0, at), name: qualified.slice(at + separator.length) };
}
