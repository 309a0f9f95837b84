/**
 * Caps on V8's heap growth for a process that runs flows.
 *
 * Young generation:
 * V8 doubles the young generation (up to 64 MB with two semi-spaces of 32 MB
 * on this Node) whenever much of it survives a scavenge, and a flow's
 * buffered events do survive: a backlog grew the engine's RSS by ~100 MB that
 * way, for no throughput (4 and 8 MB semi-spaces drained backlogs as fast). Node
 * fixes `--max-semi-space-size` at start-up, but V8 reads
 * `--semi-space-growth-factor` each time it grows the space, so after each
 * garbage collection this sets the factor to 1 (stop growing) once the next
 * doubling would pass the cap, and back to 2 below it.
 *
 * Old generation: V8 lets it grow to up to 4× the live heap before the next
 * full collection when allocation is fast, which is what streaming a large
 * transaction looks like; the garbage in between (events that lived long
 * enough to be promoted) cost up to 60 MB more RSS. `--heap-growing-percent`
 * (also read at each collection) fixes the factor at 3×: a 1,000,000-row
 * transaction then ran 13 full collections instead of 9, with a peak RSS of
 * 214 MB instead of 241–294 MB.
 *
 * An unknown flag is ignored by V8, so on another V8 this does nothing.
 */
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";

/** Old generation grows to at most this much more than the live heap before a full collection. */
export const OLD_GENERATION_GROWING_PERCENT = 200;

/** Young generation (both semi-spaces) the cap keeps to: 8 MB, semi-spaces of 4 MB. */
export const YOUNG_GENERATION_CAP_BYTES = 8 * 1024 * 1024;

export interface HeapCaps {
  /** Largest young generation seen after a collection, in bytes. */
  readonly highWater: number;
  /** Stops watching and gives V8 back its own growth rules. */
  stop(): void;
}

function newSpaceBytes(): number {
  for (const space of v8.getHeapSpaceStatistics())
    if (space.space_name === "new_space") return space.space_size;
  return 0;
}

/** Whether the young generation may double once more under `capBytes`. */
export function mayGrow(currentBytes: number, capBytes: number): boolean {
  return currentBytes * 2 <= capBytes;
}

export function capHeap(capBytes = YOUNG_GENERATION_CAP_BYTES): HeapCaps {
  let growing: boolean | undefined;
  let highWater = 0;
  const check = () => {
    const size = newSpaceBytes();
    if (size > highWater) highWater = size;
    const grow = mayGrow(size, capBytes);
    if (grow === growing) return;
    growing = grow;
    v8.setFlagsFromString(`--semi-space-growth-factor=${grow ? 2 : 1}`);
  };
  check();
  v8.setFlagsFromString(`--heap-growing-percent=${OLD_GENERATION_GROWING_PERCENT}`);
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ["gc"] });
  return {
    get highWater() {
      return highWater;
    },
    stop() {
      observer.disconnect();
      if (growing === false) v8.setFlagsFromString("--semi-space-growth-factor=2");
      v8.setFlagsFromString("--heap-growing-percent=0");
    },
  };
}
