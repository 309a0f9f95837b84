/**
 * Dead letters in a JSON-lines file, for embedded use without a database.
 * Each change is one appended line ("add" or "drop") synced to disk before the
 * call resolves; reading folds the lines. Dropped letters stay in the file as
 * history until it is rewritten by hand.
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { SophiaError } from "../../../shared/errors.ts";
import { stringify } from "../shared/event-json.ts";
import type { DeadLetter, DeadLetterFilter, DeadLetterStore, NewDeadLetter } from "./store.ts";

type Line = { type: "add"; letter: DeadLetter } | { type: "drop"; id: string };

/** Folds the file's lines into the letters still present, oldest first. */
export function foldLines(text: string, file: string): Map<string, DeadLetter> {
  const letters = new Map<string, DeadLetter>();
  text.split("\n").forEach((raw, index) => {
    if (raw.trim() === "") return;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch (error) {
      throw new SophiaError("FLOW_STATE", `dead-letter file ${file}:${index + 1} is not JSON`, {
        hint: "a crash can leave a torn last line: remove that line and retry",
        cause: error,
      });
    }
    if (line.type === "add") letters.set(line.letter.id, line.letter);
    else letters.delete(line.id);
  });
  return letters;
}

export function createFileDeadLetterStore(options: { path: string }): DeadLetterStore {
  const { path } = options;
  let queue: Promise<unknown> = Promise.resolve();

  async function append(lines: Line[]): Promise<void> {
    const handle = await open(path, "a");
    try {
      await handle.write(lines.map((line) => `${stringify(line)}\n`).join(""));
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  async function read(): Promise<Map<string, DeadLetter>> {
    const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    return foldLines(text, path);
  }

  /** One writer at a time, so "drop" counts and appends never interleave. */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    async start() {
      await mkdir(dirname(path), { recursive: true });
    },
    add: (letter: NewDeadLetter) =>
      serial(async () => {
        const stored: DeadLetter = {
          ...letter,
          id: randomUUID(),
          createdAt: new Date().toISOString(),
        };
        await append([{ type: "add", letter: stored }]);
        return stored;
      }),
    async list(filter: DeadLetterFilter = {}) {
      const letters = [...(await read()).values()].filter(
        (l) =>
          (filter.flow === undefined || l.flow === filter.flow) &&
          (filter.sink === undefined || l.sink === filter.sink),
      );
      return letters.slice(0, filter.limit ?? 100);
    },
    async get(id: string) {
      return (await read()).get(id);
    },
    drop: (ids: string[]) =>
      serial(async () => {
        const present = await read();
        const found = ids.filter((id) => present.has(id));
        if (found.length > 0) await append(found.map((id) => ({ type: "drop", id })));
        return found.length;
      }),
    async stop() {
      await queue;
    },
  };
}
