import { createHash } from "node:crypto";
import { canonicalJson } from "../cache/canonical-json.ts";

/** The parts of a tool definition a client (and a model) relies on. */
export const PINNED_FIELDS = [
  "name",
  "description",
  "inputSchema",
  "outputSchema",
  "annotations",
] as const;
export type PinnedField = (typeof PINNED_FIELDS)[number];

export interface ToolDigest {
  /** sha256 (hex) of the canonical JSON of the pinned fields together. */
  sha256: string;
  /** A short digest per field, so a change can say what changed. */
  fields: Record<PinnedField, string>;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function toolDigest(tool: Readonly<Record<string, unknown>>): ToolDigest {
  const pinned: Record<string, unknown> = {};
  const fields = {} as Record<PinnedField, string>;
  for (const field of PINNED_FIELDS) {
    pinned[field] = tool[field];
    fields[field] = sha256(canonicalJson(tool[field] ?? null)).slice(0, 16);
  }
  return { sha256: sha256(canonicalJson(pinned)), fields };
}

/** Which fields differ between two digests. */
export function changedFields(a: ToolDigest, b: ToolDigest): PinnedField[] {
  return PINNED_FIELDS.filter((field) => a.fields[field] !== b.fields[field]);
}
