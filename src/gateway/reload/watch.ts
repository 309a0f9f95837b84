import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

export interface WatchOptions {
  /** Quiet time after the last change before `onChange` runs (editors write in several steps). */
  debounceMs?: number;
  onError?: (error: Error) => void;
}

/**
 * Calls `onChange` once a burst of changes to `file` has settled. Watches the
 * directory, not the file: editors and `kubectl` configmaps replace the file
 * (rename over it), which a watch on the old file would miss.
 */
export function watchFile(
  file: string,
  onChange: () => void,
  options: WatchOptions = {},
): () => void {
  const debounceMs = options.debounceMs ?? 300;
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined = watch(dirname(file), (_event, changed) => {
    if (changed !== null && changed !== name && !String(changed).startsWith("..")) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
    timer.unref();
  });
  watcher.on("error", (error) => options.onError?.(error));
  watcher.unref();
  return () => {
    clearTimeout(timer);
    watcher?.close();
    watcher = undefined;
  };
}
