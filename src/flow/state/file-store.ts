/**
 * State in a directory: one JSON file per flow, rewritten whole on every
 * change with temp file + fsync + rename (+ directory fsync), so a crash
 * leaves the old or the new file, never a torn one.
 */
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { SophiaError } from "../../shared/errors.ts";
import type { Json, StateStore } from "./store.ts";

type Document = Record<string, Json>;

export class FileStateStore implements StateStore {
  readonly #dir: string;
  readonly #cache = new Map<string, Document>();
  /** Writes of one flow's file one after another, so a slow write never overtakes a newer one. */
  readonly #chain = new Map<string, Promise<void>>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  async open(): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
  }

  async get(flow: string, key: string): Promise<Json | undefined> {
    return (await this.#load(flow))[key];
  }

  async set(flow: string, key: string, value: Json): Promise<void> {
    const doc = await this.#load(flow);
    doc[key] = value;
    await this.#persist(flow, doc);
  }

  async list(flow: string, prefix: string): Promise<Map<string, Json>> {
    const doc = await this.#load(flow);
    return new Map(Object.entries(doc).filter(([key]) => key.startsWith(prefix)));
  }

  async delete(flow: string, key: string): Promise<void> {
    const doc = await this.#load(flow);
    if (!(key in doc)) return;
    delete doc[key];
    await this.#persist(flow, doc);
  }

  async close(): Promise<void> {
    await Promise.all(this.#chain.values());
  }

  #file(flow: string): string {
    return join(this.#dir, `${flow}.json`);
  }

  async #load(flow: string): Promise<Document> {
    const cached = this.#cache.get(flow);
    if (cached !== undefined) return cached;
    let doc: Document = {};
    try {
      doc = JSON.parse(await readFile(this.#file(flow), "utf8")) as Document;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        throw new SophiaError(
          "FLOW_STATE",
          `cannot read flow state ${this.#file(flow)}: ${(error as Error).message}`,
          {
            hint: "the file is written atomically; if it was edited by hand, fix or remove it",
            cause: error,
          },
        );
    }
    this.#cache.set(flow, doc);
    return doc;
  }

  #persist(flow: string, doc: Document): Promise<void> {
    const text = JSON.stringify(doc);
    const previous = this.#chain.get(flow) ?? Promise.resolve();
    const next = previous.then(() => this.#write(flow, text));
    this.#chain.set(
      flow,
      next.catch(() => undefined),
    );
    return next;
  }

  async #write(flow: string, text: string): Promise<void> {
    const target = this.#file(flow);
    const temp = `${target}.${process.pid}.tmp`;
    try {
      const handle = await open(temp, "w");
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
      const dir = await open(this.#dir, "r");
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (error) {
      throw new SophiaError(
        "FLOW_STATE",
        `cannot write flow state ${target}: ${(error as Error).message}`,
        {
          hint: "check that the state directory exists and is writable",
          cause: error,
        },
      );
    }
  }
}
