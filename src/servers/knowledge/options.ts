/** The knowledge server's `options:` map in sophia.yaml. */
import { z } from "zod";

export const SEARCH_MODES = ["hybrid", "vector", "text"] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export const DEFAULT_DATA_DIR = ".sophia/data/knowledge";

export const knowledgeOptionsSchema = z.strictObject({
  /** A PostgreSQL with pgvector (production); absent means the embedded PGlite under `dataDir`. */
  connectionString: z.string().min(1).optional(),
  /** Where the embedded database keeps its files, relative to the working directory. */
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
  /** The table the flow's pgvector sink writes (its `schema` and `table`). */
  schema: z.string().min(1).max(63).default("public"),
  table: z.string().min(1).max(63).default("sophia_embeddings"),
  /** How `search` ranks: vector similarity, full-text rank, or both fused (reciprocal rank fusion). */
  mode: z.enum(SEARCH_MODES).default("hybrid"),
  /** The PostgreSQL text search configuration used for full-text ranking. */
  textSearch: z
    .string()
    .regex(/^[a-z_]+$/, "expected a text search configuration name such as english or simple")
    .default("english"),
  /** Hits taken from each ranking before fusion. */
  candidates: z.number().int().min(1).max(1000).default(50),
  /** The k of reciprocal rank fusion: 1 / (k + rank). */
  rrfK: z.number().int().min(1).max(1000).default(60),
  /** The embedding provider, as in the flow's embed transform (`local` by default). */
  embedder: z.unknown().optional(),
  poolSize: z.number().int().min(1).max(32).default(4),
});

export type KnowledgeOptions = z.output<typeof knowledgeOptionsSchema>;
