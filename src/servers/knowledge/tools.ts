/** The knowledge server's MCP tools over an opened store. */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import { guarded } from "../shared/results.ts";
import type { SqlClient } from "./database.ts";
import { fetchDocument, listCollections, parseDocumentId } from "./documents.ts";
import { SEARCH_MODES, type SearchMode } from "./options.ts";
import { type QueryEmbedder, type SearchSettings, searchKnowledge } from "./search.ts";

export interface KnowledgeContext {
  /** Resolves once the store is open; rejects with why it could not be. */
  db: () => Promise<SqlClient>;
  embedder: QueryEmbedder;
  settings: SearchSettings;
  mode: SearchMode;
  version: string;
}

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Database errors worded for the model and the operator. */
function storeError(error: unknown, table: string): unknown {
  if (error instanceof SophiaError) return error;
  const message = errorMessage(error);
  if (/does not exist/.test(message) && /relation/.test(message))
    return new SophiaError("BUILTIN_FAILED", `knowledge: table ${table} does not exist yet`, {
      hint: "start a flow with a pgvector sink writing to this table, or check options.schema and options.table",
    });
  return new SophiaError("BUILTIN_FAILED", `knowledge: ${message}`, { cause: error });
}

function run(context: KnowledgeContext, body: (db: SqlClient) => Promise<unknown>) {
  return guarded(async () => {
    try {
      return await body(await context.db());
    } catch (error) {
      throw storeError(error, context.settings.table);
    }
  });
}

export function knowledgeServer(context: KnowledgeContext): McpServer {
  const server = new McpServer({ name: "sophia-knowledge", version: context.version });
  server.registerTool(
    "search",
    {
      description:
        "Search the documents kept in sync from the databases. Returns the best passages with their collection, key and score.",
      inputSchema: {
        query: z.string().min(1).describe("What to look for, in plain words"),
        topK: z.number().int().min(1).max(50).default(5).describe("How many documents (1-50)"),
        filter: z.record(z.string(), scalar).optional().describe("Metadata keys that must equal"),
        collection: z.string().optional().describe("Only this source table (schema.table)"),
        mode: z.enum(SEARCH_MODES).optional().describe("Ranking; the server's default if absent"),
      },
      annotations: READ_ONLY,
    },
    (args, extra) =>
      run(context, async (db) => ({
        results: await searchKnowledge(
          db,
          { ...context.embedder, embed: (texts) => context.embedder.embed(texts, extra.signal) },
          context.settings,
          { ...args, mode: args.mode ?? context.mode },
        ),
      })),
  );
  server.registerTool(
    "fetch",
    {
      description: "One whole document by the id a search result gave (its chunks joined).",
      inputSchema: { id: z.string().min(1).describe('A result id such as public.docs:{"id":7}') },
      annotations: READ_ONLY,
    },
    ({ id }) =>
      run(context, (db) => {
        const { collection, key } = parseDocumentId(id);
        return fetchDocument(db, context.settings.table, collection, key);
      }),
  );
  server.registerTool(
    "list_collections",
    {
      description: "The source tables in the knowledge store, with document and chunk counts.",
      annotations: READ_ONLY,
    },
    () =>
      run(context, async (db) => ({
        collections: await listCollections(db, context.settings.table),
      })),
  );
  return server;
}
