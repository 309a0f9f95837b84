/** The built-in servers by the name `builtin:` selects, bound to what they need from the wiring layer. */
import type { ConfigPath, SophiaConfig } from "../config/index.ts";
import { knowledgeDefinition } from "./knowledge/index.ts";
import type { QueryEmbedder } from "./knowledge/search.ts";
import type { BuiltinDefinition } from "./shared/types.ts";
import { sqlDefinition } from "./sql/index.ts";
import { workflowsDefinition } from "./workflows/index.ts";

export interface BuiltinDeps {
  config: SophiaConfig;
  cwd: string;
  version: string;
  /** The embedder an `embedder:` option names; undefined means the local one. */
  embedder: (value: unknown, path: ConfigPath) => QueryEmbedder;
  /** For tests against fake services; the global fetch otherwise. */
  fetch?: typeof fetch;
}

export function builtinServers(deps: BuiltinDeps): Record<string, BuiltinDefinition> {
  return {
    knowledge: knowledgeDefinition(deps),
    sql: sqlDefinition(deps),
    workflows: workflowsDefinition(deps),
  };
}
