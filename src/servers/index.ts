/** Built-in MCP servers (knowledge, sql, workflows). The CLI registers them with the gateway. */

export { joinChunks } from "./knowledge/chunks.ts";
export { openDatabase, type SqlClient } from "./knowledge/database.ts";
export { reciprocalRankFusion } from "./knowledge/fusion.ts";
export type { SearchMode } from "./knowledge/options.ts";
export { tableDdl as knowledgeTableDdl } from "./knowledge/queries.ts";
export {
  type QueryEmbedder,
  type SearchHit,
  type SearchSettings,
  searchKnowledge,
} from "./knowledge/search.ts";
export { type BuiltinDeps, builtinServers } from "./registry.ts";
export type { BuiltinDefinition, Connect, PeerEnd, ServerSpec } from "./shared/types.ts";
