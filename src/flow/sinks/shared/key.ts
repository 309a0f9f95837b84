/**
 * Stable identities for rows and chunks in stores keyed by text or UUID:
 * the same key always gives the same text and the same id, whatever order
 * its columns arrived in.
 */
import { createHash } from "node:crypto";
import type { ChangeEvent, Row } from "../../events.ts";
import { stringify } from "./event-json.ts";

/** JSON of the key with its columns sorted by name: `{"id":7}`. */
export function keyText(key: Row): string {
  const sorted: Row = {};
  for (const name of Object.keys(key).sort()) sorted[name] = key[name];
  return stringify(sorted);
}

export function sourceTable(event: ChangeEvent): string {
  return `${event.source.schema}.${event.source.table}`;
}

/** Fixed namespace so ids are the same across processes and versions. */
const NAMESPACE = "sophia.flow.chunk";

/**
 * A name-based UUID (version 5 layout, SHA-1) from table, key and chunk:
 * stores that need UUID ids (Qdrant, Weaviate) get the same id on every retry.
 */
export function chunkId(table: string, key: string, chunkIndex: number): string {
  const hash = createHash("sha1").update(`${NAMESPACE}\n${table}\n${key}\n${chunkIndex}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Orders events by stream position: (commitLsn, seq). Negative when a is earlier. */
export function comparePosition(
  a: { commitLsn: bigint; seq: number },
  b: { commitLsn: bigint; seq: number },
): number {
  if (a.commitLsn !== b.commitLsn) return a.commitLsn < b.commitLsn ? -1 : 1;
  return a.seq - b.seq;
}
