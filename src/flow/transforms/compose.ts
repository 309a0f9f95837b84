/** The programmatic API: transforms written in code and chained in order. */
import type { ChangeEvent } from "../events.ts";
import type { Transform } from "../transform.ts";

export type TransformFn = (events: ChangeEvent[]) => ChangeEvent[] | Promise<ChangeEvent[]>;

/** A transform from a batch function; `stop` runs when the flow stops. */
export function defineTransform(
  name: string,
  fn: TransformFn,
  stop?: () => Promise<void>,
): Transform {
  return stop === undefined ? { name, apply: fn } : { name, apply: fn, stop };
}

/** Each batch goes through the transforms in order; an empty batch short-cuts the rest. */
export function pipeline(...transforms: Transform[]): Transform {
  const name = transforms.map((t) => t.name).join(" | ") || "pipeline";
  return {
    name,
    async apply(events) {
      let current = events;
      for (const transform of transforms) {
        if (current.length === 0) return current;
        current = await transform.apply(current);
      }
      return current;
    },
    async stop() {
      // Stop all, even when one fails, then report the first failure.
      const results = await Promise.allSettled(transforms.map((t) => t.stop?.()));
      const failed = results.find((r) => r.status === "rejected");
      if (failed !== undefined) throw failed.reason;
    },
  };
}
