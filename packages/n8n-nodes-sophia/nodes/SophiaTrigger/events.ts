/** The body of a flow webhook request: a JSON array of change events, checked just enough to use. */
import type { IDataObject } from "n8n-workflow";

export const OPERATIONS = ["insert", "update", "delete", "truncate"] as const;

export type EventsParse = { ok: true; events: IDataObject[] } | { ok: false; message: string };

function isObject(value: unknown): value is IDataObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses the raw body; every element must be an object with a known `op` and a `table`. */
export function parseEvents(rawBody: Buffer | string): EventsParse {
  let value: unknown;
  try {
    value = JSON.parse(rawBody.toString());
  } catch (error) {
    return { ok: false, message: `body is not valid JSON: ${(error as Error).message}` };
  }
  if (!Array.isArray(value))
    return { ok: false, message: "body must be a JSON array of change events" };
  for (const [index, event] of value.entries()) {
    if (!isObject(event)) return { ok: false, message: `event ${index} is not a JSON object` };
    if (!(OPERATIONS as readonly unknown[]).includes(event.op))
      return {
        ok: false,
        message: `event ${index} has op ${JSON.stringify(event.op)}; expected one of ${OPERATIONS.join(", ")}`,
      };
    if (typeof event.table !== "string")
      return { ok: false, message: `event ${index} has no table name` };
  }
  return { ok: true, events: value as IDataObject[] };
}
