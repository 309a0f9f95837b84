/** map: reshapes events by configuration (rename/drop/pick/set) or with a module function. */
import { z } from "zod";
import type { ChangeEvent } from "../events.ts";
import type { Transform } from "../transform.ts";
import { badResult, callForEvent } from "./guard.ts";
import { loadModuleFunction, moduleRefSchema, type TransformContext } from "./module-ref.ts";
import { compileReshape } from "./reshape.ts";
import { parseTemplate } from "./template.ts";

const columnList = z.array(z.string().min(1)).min(1);

const reshapeSchema = z
  .object({
    rename: z.record(z.string(), z.string().min(1)).optional(),
    drop: columnList.optional(),
    pick: columnList.optional(),
    set: z
      .record(z.string(), z.unknown())
      .superRefine((set, ctx) => {
        for (const [field, value] of Object.entries(set)) {
          if (typeof value !== "string") continue;
          try {
            parseTemplate(value);
          } catch (error) {
            ctx.addIssue({ code: "custom", path: [field], message: (error as Error).message });
          }
        }
      })
      .optional(),
  })
  .strict();

export const mapOptionsSchema = z.union([moduleRefSchema, reshapeSchema]);
export type MapOptions = z.input<typeof mapOptionsSchema>;

/** One event in; the same or a changed event, several events, or null to drop it. */
export type MapFn = (
  event: ChangeEvent,
) => ChangeEvent | ChangeEvent[] | null | Promise<ChangeEvent | ChangeEvent[] | null>;

const EXPECTS = "(event) => ChangeEvent | ChangeEvent[] | null";

/** A map from code; results are checked so a wrong return value fails loudly. */
export function mapTransform(name: string, fn: MapFn): Transform {
  return {
    name,
    async apply(events) {
      const out: ChangeEvent[] = [];
      for (const event of events) {
        const result = await callForEvent(name, event, () => fn(event));
        if (result === null) continue;
        const list = Array.isArray(result) ? result : [result];
        for (const item of list) {
          if (!isChangeEvent(item))
            throw badResult(name, `a change event, an array of them or null`, item, event);
          out.push(item);
        }
      }
      return out;
    },
  };
}

export async function createMap(
  options: MapOptions,
  context: TransformContext,
  name = "map",
): Promise<Transform> {
  const parsed = mapOptionsSchema.parse(options);
  if ("module" in parsed)
    return mapTransform(name, (await loadModuleFunction(parsed, context, EXPECTS)) as MapFn);
  const reshape = compileReshape(parsed);
  return { name, apply: (events) => events.map(reshape) };
}

function isChangeEvent(value: unknown): value is ChangeEvent {
  return (
    typeof value === "object" &&
    value !== null &&
    "op" in value &&
    "source" in value &&
    "key" in value
  );
}
