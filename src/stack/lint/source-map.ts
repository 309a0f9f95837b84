/**
 * Where each value of a merged Compose model came from. Paths are key paths
 * from the document root; sequence entries are named by their merge key
 * (see compose-keys.ts), so the same entry in two files has the same path.
 */
import type { Location } from "./types.ts";

export type ModelPath = readonly string[];

const keyOf = (path: ModelPath): string => JSON.stringify(path);

export class SourceMap {
  readonly #first = new Map<string, Location>();
  readonly #last = new Map<string, Location>();
  readonly #fallback: Location;

  constructor(fallback: Location) {
    this.#fallback = fallback;
  }

  /** Records a path's location; files are recorded in merge order. */
  record(path: ModelPath, location: Location): void {
    const key = keyOf(path);
    if (!this.#first.has(key)) this.#first.set(key, location);
    this.#last.set(key, location);
  }

  /** Where the value at `path` was last set (the file that decided it), else its nearest parent's. */
  locate(path: ModelPath): Location {
    return this.#find(this.#last, path);
  }

  /** Where `path` was first written (for "missing key" findings: the service's own definition). */
  origin(path: ModelPath): Location {
    return this.#find(this.#first, path);
  }

  #find(map: Map<string, Location>, path: ModelPath): Location {
    for (let length = path.length; length > 0; length -= 1) {
      const found = map.get(keyOf(path.slice(0, length)));
      if (found) return found;
    }
    return this.#fallback;
  }
}
