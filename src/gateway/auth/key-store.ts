import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { SophiaError } from "../../shared/errors.ts";
import type { ApiKeyRecord } from "./api-key.ts";
import { ChangeSignal } from "./change-signal.ts";

/** At worst, how long a change made by another process (a revoke) goes unseen when watching fails. */
export const KEY_FILE_RECHECK_MS = 500;

/** Where API keys live; the gateway reads, `sophia keys` writes. */
export interface KeyStore {
  get(id: string): Promise<ApiKeyRecord | undefined>;
  list(): Promise<ApiKeyRecord[]>;
  add(record: ApiKeyRecord): Promise<void>;
  /** Marks the key with this id or name revoked; returns it. */
  revoke(idOrName: string, now?: Date): Promise<ApiKeyRecord>;
}

interface Loaded {
  stamp: string;
  keys: Map<string, ApiKeyRecord>;
}

/**
 * Keys in a JSON file (mode 0600, replaced atomically), kept in memory. The
 * file is stat-ed again (and re-read when it changed) only when a watch on its
 * folder reports a change or `recheckMs` passed since the last look: a key
 * revoked by `sophia keys revoke` stops working within milliseconds, and
 * within `recheckMs` where watching fails, without a restart and without a
 * stat on every request.
 */
export class KeyFile implements KeyStore {
  readonly path: string;
  readonly #signal: ChangeSignal;
  #loaded: Loaded | undefined;
  #refreshing: Promise<Loaded> | undefined;

  constructor(path: string, options: { recheckMs?: number } = {}) {
    this.path = path;
    this.#signal = new ChangeSignal(path, options.recheckMs ?? KEY_FILE_RECHECK_MS);
  }

  get(id: string): Promise<ApiKeyRecord | undefined> {
    const loaded = this.#loaded;
    // The common case on every request: nothing changed, no extra promise chain.
    if (loaded && !this.#signal.due()) return Promise.resolve(loaded.keys.get(id));
    return this.#current().then((current) => current.keys.get(id));
  }

  async list(): Promise<ApiKeyRecord[]> {
    return [...(await this.#current()).keys.values()];
  }

  async add(record: ApiKeyRecord): Promise<void> {
    const keys = await this.list();
    if (keys.some((key) => key.name === record.name && key.revoked === undefined))
      throw new SophiaError("USAGE", `an active API key named "${record.name}" already exists`, {
        hint: "pick another --name, or revoke the old key first",
      });
    await this.#write([...keys, record]);
  }

  async revoke(idOrName: string, now = new Date()): Promise<ApiKeyRecord> {
    const keys = await this.list();
    const key =
      keys.find((k) => k.id === idOrName) ??
      keys.find((k) => k.name === idOrName && k.revoked === undefined);
    if (!key)
      throw new SophiaError("KEY_NOT_FOUND", `no API key with id or name "${idOrName}"`, {
        hint: "`sophia keys list` shows the keys",
      });
    key.revoked ??= now.toISOString();
    await this.#write(keys);
    return key;
  }

  /** Stops watching the file (the watch never keeps the process alive either way). */
  async close(): Promise<void> {
    this.#signal.close();
  }

  #current(): Promise<Loaded> {
    if (this.#loaded && !this.#signal.due()) return Promise.resolve(this.#loaded);
    // Concurrent requests share one stat (and one read of a changed file).
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<Loaded> {
    const mark = this.#signal.begin();
    const stamp = await stampOf(this.path);
    const loaded = this.#loaded?.stamp === stamp ? this.#loaded : await this.#read(stamp);
    this.#loaded = loaded;
    this.#signal.checked(mark);
    return loaded;
  }

  async #read(stamp: string): Promise<Loaded> {
    if (stamp === "missing") return { stamp, keys: new Map() };
    const text = await readFile(this.path, "utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new SophiaError("AUTH_INVALID", `the API key file ${this.path} is not valid JSON`, {
        hint: "restore it from a backup or recreate keys with `sophia keys create`",
        cause: error,
      });
    }
    const list = (parsed as { keys?: unknown }).keys;
    const keys = new Map<string, ApiKeyRecord>();
    if (Array.isArray(list)) for (const key of list as ApiKeyRecord[]) keys.set(key.id, key);
    return { stamp, keys };
  }

  /** Writes a temporary file beside the target and renames it: readers never see half a file. */
  async #write(keys: ApiKeyRecord[]): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, `${JSON.stringify({ version: 1, keys }, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.path);
    this.#loaded = undefined;
    this.#signal.invalidate();
  }
}

async function stampOf(path: string): Promise<string> {
  try {
    const s = await stat(path);
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
}
