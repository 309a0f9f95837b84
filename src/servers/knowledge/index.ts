/** The `knowledge` built-in server: search over what a flow's pgvector sink keeps in sync. */
import type { ConfigPath, SophiaConfig } from "../../config/index.ts";
import { validateSection } from "../../config/index.ts";
import { serveMcp } from "../shared/serve.ts";
import { qualifiedName, quoteIdent } from "../shared/sql-name.ts";
import type { BuiltinDefinition } from "../shared/types.ts";
import { openDatabase, type SqlClient } from "./database.ts";
import { knowledgeOptionsSchema } from "./options.ts";
import type { QueryEmbedder } from "./search.ts";
import { knowledgeServer } from "./tools.ts";

export interface KnowledgeDeps {
  config: SophiaConfig;
  /** Where a relative `dataDir` starts. */
  cwd: string;
  /** The embedder an `embedder:` option names (validated by the caller; undefined means local). */
  embedder: (value: unknown, path: ConfigPath) => QueryEmbedder;
  version: string;
}

export function knowledgeDefinition(deps: KnowledgeDeps): BuiltinDefinition {
  return {
    prepare(spec) {
      const path = ["servers", spec.name, "options"];
      const options = validateSection(
        deps.config,
        path,
        spec.options,
        knowledgeOptionsSchema,
        Object.keys(knowledgeOptionsSchema.shape),
      );
      const embedder = deps.embedder(options.embedder, [...path, "embedder"]);
      const table = qualifiedName(options.schema, options.table);
      return async (peer) => {
        // The store opens in the background: the handshake never waits for it, tools do.
        const opening = openDatabase(
          {
            ...options,
            schema: quoteIdent(options.schema),
            table,
            dimensions: embedder.dimensions,
          },
          deps.cwd,
        );
        opening.catch((error: unknown) =>
          spec.logger.error({ err: String(error) }, "knowledge store did not open"),
        );
        const connect = serveMcp(
          () =>
            knowledgeServer({
              db: () => opening,
              embedder,
              settings: {
                table,
                textSearch: options.textSearch,
                candidates: options.candidates,
                rrfK: options.rrfK,
              },
              mode: options.mode,
              version: deps.version,
            }),
          () => opening.then((db: SqlClient) => db.close()).catch(() => {}),
        );
        return connect(peer);
      };
    },
  };
}
