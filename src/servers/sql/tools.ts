/** The sql server's MCP tools. */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type pg from "pg";
import { z } from "zod";
import { guarded } from "../shared/results.ts";
import { describeTable, listTables } from "./catalog.ts";
import type { SqlOptions } from "./options.ts";
import { readOnly, runQuery } from "./run-query.ts";

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;
const param = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export function sqlServer(pool: pg.Pool, options: SqlOptions, version: string): McpServer {
  const server = new McpServer({ name: "sophia-sql", version });
  server.registerTool(
    "query",
    {
      description: `Run one read-only SQL query (PostgreSQL). Writes are refused. At most ${options.rowLimit} rows come back; "truncated" says there were more.`,
      inputSchema: {
        sql: z.string().min(1).describe("One SELECT / WITH … SELECT / VALUES / TABLE statement"),
        params: z.array(param).default([]).describe("Values for $1, $2, …"),
      },
      annotations: READ_ONLY,
    },
    ({ sql, params }) =>
      guarded(() =>
        runQuery(pool, sql, params, { rowLimit: options.rowLimit, timeoutMs: options.timeout }),
      ),
  );
  server.registerTool(
    "list_tables",
    { description: "Tables and views that can be queried.", annotations: READ_ONLY },
    () =>
      guarded(async () => ({
        tables: await readOnly(pool, options.timeout, (client) =>
          listTables(client, options.schemas),
        ),
      })),
  );
  server.registerTool(
    "describe_table",
    {
      description: "Columns of a table or view: type, nullability, default, primary key, comment.",
      inputSchema: { table: z.string().min(1).describe("table or schema.table") },
      annotations: READ_ONLY,
    },
    ({ table }) =>
      guarded(() =>
        readOnly(pool, options.timeout, (client) => describeTable(client, table, options.schemas)),
      ),
  );
  return server;
}
