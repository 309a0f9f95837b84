/** The `sql` built-in server: read-only queries against a configured PostgreSQL. */
import pg from "pg";
import type { SophiaConfig } from "../../config/index.ts";
import { validateSection } from "../../config/index.ts";
import { serveMcp } from "../shared/serve.ts";
import type { BuiltinDefinition } from "../shared/types.ts";
import { OPTION_KEYS, sqlOptionsSchema } from "./options.ts";
import { sqlServer } from "./tools.ts";

export interface SqlDeps {
  config: SophiaConfig;
  version: string;
}

export function sqlDefinition(deps: SqlDeps): BuiltinDefinition {
  return {
    prepare(spec) {
      const options = validateSection(
        deps.config,
        ["servers", spec.name, "options"],
        spec.options,
        sqlOptionsSchema,
        OPTION_KEYS,
      );
      return (peer) => {
        const pool = new pg.Pool({
          connectionString: options.connectionString,
          max: options.poolSize,
          application_name: `sophia-sql-${spec.name}`,
        });
        pool.on("error", (error) => spec.logger.warn({ err: error.message }, "sql pool error"));
        return serveMcp(
          () => sqlServer(pool, options, deps.version),
          () => pool.end(),
        )(peer);
      };
    },
  };
}
