/**
 * enrich: a module function that receives the whole batch and returns it
 * enriched (lookups in a database or an API, batched by the user's code).
 */
import { z } from "zod";
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import type { ChangeEvent } from "../events.ts";
import type { Transform } from "../transform.ts";
import { badResult } from "./guard.ts";
import { loadModuleFunction, moduleRefSchema, type TransformContext } from "./module-ref.ts";

export const enrichOptionsSchema = moduleRefSchema
  .extend({
    /** Passed to the function as its second argument (connection strings, table names…). */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type EnrichOptions = z.input<typeof enrichOptionsSchema>;

export type EnrichFn = (
  events: ChangeEvent[],
  options: Record<string, unknown>,
) => ChangeEvent[] | Promise<ChangeEvent[]>;

const EXPECTS = "(events, options) => ChangeEvent[] | Promise<ChangeEvent[]>";

/**
 * A throw from the function rejects the batch, which the engine retries: an
 * enrich function is where lookups against services that can be down live.
 */
export function enrichTransform(
  name: string,
  fn: EnrichFn,
  options: Record<string, unknown> = {},
): Transform {
  return {
    name,
    async apply(events) {
      let result: unknown;
      try {
        result = await fn(events, options);
      } catch (cause) {
        throw new SophiaError(
          "FLOW_TRANSFORM_FAILED",
          `enrich "${name}" failed: ${errorMessage(cause)}`,
          {
            hint: "the batch is retried; a function that throws for one bad row stops the flow, so handle such rows",
            cause,
          },
        );
      }
      if (!Array.isArray(result)) throw badResult(name, "an array of change events", result);
      return result as ChangeEvent[];
    },
  };
}

export async function createEnrich(
  options: EnrichOptions,
  context: TransformContext,
  name = "enrich",
): Promise<Transform> {
  const parsed = enrichOptionsSchema.parse(options);
  const fn = (await loadModuleFunction(parsed, context, EXPECTS)) as EnrichFn;
  return enrichTransform(name, fn, parsed.options);
}
