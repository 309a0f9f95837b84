/** The sql server's `options:` map in sophia.yaml. */
import { z } from "zod";
import { parseDuration } from "../../config/index.ts";

const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined || ms === 0) {
    ctx.addIssue({ code: "custom", message: 'expected a duration such as "5s" or 5000 (ms)' });
    return z.NEVER;
  }
  return ms;
});

export const sqlOptionsSchema = z.strictObject({
  /** The PostgreSQL to query; use a role that can only read what the model may see. */
  connectionString: z.string().min(1),
  /** Rows returned by one query at most; more are reported as truncated. */
  rowLimit: z.number().int().min(1).max(10_000).default(100),
  /** statement_timeout of every query. */
  timeout: duration.default(10_000),
  /** Schemas list_tables and describe_table show; all but the system schemas when absent. */
  schemas: z.array(z.string().min(1)).min(1).optional(),
  poolSize: z.number().int().min(1).max(32).default(2),
});

export type SqlOptions = z.output<typeof sqlOptionsSchema>;

export const OPTION_KEYS = Object.keys(sqlOptionsSchema.shape);
