/** The text embedded for a row and its content hash (pure). */
import { createHash } from "node:crypto";
import type { Row } from "../events.ts";

/** "label: value" per field, in the configured order, paragraphs apart; null and missing fields are left out. */
export function embeddingText(row: Row, fields: readonly string[], labels = true): string {
  const parts: string[] = [];
  for (const field of fields) {
    const value = row[field];
    if (value === null || value === undefined) continue;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (text.trim() === "") continue;
    parts.push(labels ? `${field}: ${text}` : text);
  }
  return parts.join("\n\n");
}

/**
 * sha256 (hex) of what determines the chunks and vectors: the model, the
 * chunking and the text. Changing any of them changes the hash, so stored
 * chunks made another way are never kept by mistake.
 */
export function contentHash(
  text: string,
  embedder: string,
  chunking: { size: number; overlap: number },
): string {
  return createHash("sha256")
    .update(`${embedder}\n${chunking.size}/${chunking.overlap}\n`)
    .update(text)
    .digest("hex");
}
