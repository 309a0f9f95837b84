/** Runs user code for one event and turns its failures into errors that name the transform and the event. */
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import { type ChangeEvent, eventId } from "../events.ts";

export async function callForEvent<T>(
  transform: string,
  event: ChangeEvent,
  call: () => T | Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new SophiaError(
      "FLOW_TRANSFORM_FAILED",
      `transform "${transform}" threw on event ${eventId(event)}: ${errorMessage(cause)}`,
      { hint: "fix the function, or make it return a value for rows it does not expect", cause },
    );
  }
}

export function badResult(
  transform: string,
  expected: string,
  got: unknown,
  event?: ChangeEvent,
): SophiaError {
  const where = event === undefined ? "" : ` for event ${eventId(event)}`;
  const kind = got === null ? "null" : Array.isArray(got) ? "an array" : typeof got;
  return new SophiaError(
    "FLOW_TRANSFORM_FAILED",
    `transform "${transform}" returned ${kind}${where}`,
    {
      hint: `the function must return ${expected}`,
    },
  );
}
