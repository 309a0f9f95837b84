/** filter: keeps the events that match declarative conditions or a module function. */
import { z } from "zod";
import type { ChangeEvent } from "../events.ts";
import type { Transform } from "../transform.ts";
import { conditionSchema, matches } from "./condition.ts";
import { badResult, callForEvent } from "./guard.ts";
import { loadModuleFunction, moduleRefSchema, type TransformContext } from "./module-ref.ts";

export const filterOptionsSchema = z.union([moduleRefSchema, conditionSchema]);
export type FilterOptions = z.input<typeof filterOptionsSchema>;

export type Predicate = (event: ChangeEvent) => boolean | Promise<boolean>;

const EXPECTS = "(event) => boolean | Promise<boolean>";

/** A filter from code. A predicate that returns anything but a boolean is a bug, reported as such. */
export function filterTransform(name: string, predicate: Predicate): Transform {
  return {
    name,
    async apply(events) {
      const kept: ChangeEvent[] = [];
      for (const event of events) {
        const keep = await callForEvent(name, event, () => predicate(event));
        if (typeof keep !== "boolean") throw badResult(name, "true or false", keep, event);
        if (keep) kept.push(event);
      }
      return kept;
    },
  };
}

/** A filter from configuration (already validated with `filterOptionsSchema`). */
export async function createFilter(
  options: FilterOptions,
  context: TransformContext,
  name = "filter",
): Promise<Transform> {
  const parsed = filterOptionsSchema.parse(options);
  if ("module" in parsed) {
    const fn = await loadModuleFunction(parsed, context, EXPECTS);
    return filterTransform(name, fn as Predicate);
  }
  return {
    name,
    apply: (events) => events.filter((event) => matches(parsed, event)),
  };
}
