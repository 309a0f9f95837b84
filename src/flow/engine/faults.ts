/**
 * Named points where fault tests make the process die (SIGKILL-style) to
 * prove nothing is lost. The engine only calls the hook; the CLI decides
 * (from SOPHIA_FLOW_CRASH_AT) whether a point kills the process.
 */
export type FaultPoint =
  /** A batch was received from capture and transformed, before any sink wrote it. */
  | "after-receive"
  /** A sink has started writing a batch and not finished. */
  | "mid-batch"
  /** A sink made a batch durable; it is not yet acknowledged to PostgreSQL. */
  | "after-sink-write";

export const FAULT_POINTS: readonly FaultPoint[] = [
  "after-receive",
  "mid-batch",
  "after-sink-write",
];

export type FaultHook = (point: FaultPoint) => void;

/** "after-sink-write:3" → a hook that calls `die` the third time that point is reached. */
export function faultHookFrom(spec: string | undefined, die: () => void): FaultHook | undefined {
  if (spec === undefined || spec === "") return undefined;
  const [point, countText] = spec.split(":");
  const count = countText === undefined ? 1 : Number(countText);
  if (!FAULT_POINTS.includes(point as FaultPoint) || !Number.isInteger(count) || count < 1)
    throw new TypeError(
      `SOPHIA_FLOW_CRASH_AT must be <point>[:<n>] with point one of ${FAULT_POINTS.join(", ")}; got "${spec}"`,
    );
  let seen = 0;
  return (reached) => {
    if (reached === point && ++seen === count) die();
  };
}
