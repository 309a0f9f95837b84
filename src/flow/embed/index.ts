/** Embeddings for change events: chunking, content hashes, providers, the embed transform. */
export { type ChunkOptions, chunkRanges, chunkText, type TextRange } from "./chunk.ts";
export {
  createEmbed,
  type EmbedCounts,
  type EmbedDeps,
  type EmbedTransform,
} from "./embed-transform.ts";
export type { ContentHashLookup, Embedder } from "./embedder.ts";
export { cosine, createLocalEmbedder, hashEmbed, LOCAL_DIMENSIONS } from "./local-embedder.ts";
export { createOpenAiEmbedder, type OpenAiEmbedderOptions } from "./openai-embedder.ts";
export {
  createEmbedder,
  type EmbedOptions,
  embedOptionsSchema,
  type ParsedEmbedOptions,
  type ProviderOptions,
  providerSchema,
} from "./options.ts";
export { type Plan, planEvent } from "./plan.ts";
export { contentHash, embeddingText } from "./text.ts";
