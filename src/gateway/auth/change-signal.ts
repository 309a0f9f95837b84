import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

/** When a check began: handed back to `checked` so a change seen meanwhile is not lost. */
export interface CheckMark {
  generation: number;
  at: number;
}

/**
 * Says when a file may have changed, so a reader need not stat it on every
 * request: fs.watch on the file's folder (atomic replaces rename a new file
 * over the old one, which a watch on the file itself would miss) flags a
 * change within milliseconds; a check at least every `intervalMs` is the
 * safety net for file systems where watching is not possible or unreliable
 * (network mounts, inotify limits, a folder created later).
 */
export class ChangeSignal {
  readonly #path: string;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #generation = 1;
  #checked: CheckMark = { generation: 0, at: Number.NEGATIVE_INFINITY };
  #watcher: FSWatcher | undefined;
  #closed = false;

  constructor(path: string, intervalMs: number, now: () => number = Date.now) {
    this.#path = path;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  /** True when the file must be checked again: a change was signalled, or the interval passed. */
  due(): boolean {
    if (this.#checked.generation !== this.#generation) return true;
    return this.#now() - this.#checked.at >= this.#intervalMs;
  }

  /** Call before looking at the file; pass the mark to `checked` once done. */
  begin(): CheckMark {
    this.#watch();
    return { generation: this.#generation, at: this.#now() };
  }

  checked(mark: CheckMark): void {
    this.#checked = mark;
  }

  /** A change this process made itself: the next `due()` is true. */
  invalidate(): void {
    this.#generation++;
  }

  close(): void {
    this.#closed = true;
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  /** Starts watching if not yet (or again after an error); failures leave only the interval. */
  #watch(): void {
    if (this.#watcher || this.#closed) return;
    const name = basename(this.#path);
    try {
      const watcher = watch(dirname(this.#path), { persistent: false }, (_event, file) => {
        if (file === null || file === name) this.#generation++;
      });
      watcher.on("error", () => {
        watcher.close();
        if (this.#watcher === watcher) this.#watcher = undefined;
        this.#generation++;
      });
      watcher.unref();
      this.#watcher = watcher;
    } catch {
      // No folder yet, or no watch available: the interval check still bounds staleness.
      this.#watcher = undefined;
    }
  }
}
