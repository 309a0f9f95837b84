import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { SophiaError } from "../../shared/errors.ts";
import type { ApiKeyRecord } from "./api-key.ts";

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
 * Keys in a JSON file (mode 0600, replaced atomically). Every lookup stats the
 * file and re-reads it when it changed, so a key revoked by `sophia keys
 * revoke` stops working at the gateway's next request, without a restart.
 */
export class KeyFile implements KeyStore {
  readonly path: string;
  #loaded: Loaded | undefined;
  #loading: Promise<Loaded> | undefined;

  constructor(path: string) {
    this.path = path;
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    return (await this.#current()).keys.get(id);
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

  async #current(): Promise<Loaded> {
    const stamp = await stampOf(this.path);
    if (this.#loaded?.stamp === stamp) return this.#loaded;
    // Concurrent requests share one read of a changed file.
    this.#loading ??= this.#read(stamp).finally(() => {
      this.#loading = undefined;
    });
    this.#loaded = await this.#loading;
    return this.#loaded;
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
