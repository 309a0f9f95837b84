/** What an embedding provider implements, and how the engine lets embed see stored hashes. */
import type { Row } from "../events.ts";

export interface Embedder {
  /** Identifies the model (it is part of the content hash: switching models re-embeds). */
  readonly name: string;
  /** Vector length; undefined until the first answer when the configuration did not say. */
  readonly dimensions: number | undefined;
  /** One vector per text, in order. Rejects with FLOW_EMBED_FAILED when it gives up. */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

/**
 * The content hash a sink holds for a row (`schema.table`, primary key), or
 * undefined when it has none. The engine wires the pgvector sink's lookup here.
 */
export type ContentHashLookup = (table: string, key: Row) => Promise<string | undefined>;
