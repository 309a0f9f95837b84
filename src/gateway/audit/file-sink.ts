import { type FileHandle, mkdir, open, rename, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { AuditSink } from "./queue.ts";
import type { AuditRecord } from "./record.ts";

export interface FileSinkOptions {
  path: string;
  /** Rotate when the file would grow past this many bytes. */
  maxBytes: number;
  /** Rotated files kept: path.1 (newest) … path.N. */
  keep: number;
}

/** JSON lines appended to a file, rotated by size (path → path.1 → … → path.keep, oldest dropped). */
export class FileAuditSink implements AuditSink {
  readonly kind = "file";
  readonly #options: FileSinkOptions;
  #handle: FileHandle | undefined;
  #size = 0;

  constructor(options: FileSinkOptions) {
    this.#options = options;
  }

  async write(batch: readonly AuditRecord[]): Promise<void> {
    let text = "";
    for (const record of batch) text += `${JSON.stringify(record)}\n`;
    // Encoded once: the size check and the write use the same bytes.
    const data = Buffer.from(text, "utf8");
    const bytes = data.length;
    const handle = await this.#open();
    if (this.#size > 0 && this.#size + bytes > this.#options.maxBytes) {
      await this.#rotate();
      return this.write(batch);
    }
    await handle.appendFile(data);
    this.#size += bytes;
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle) return this.#handle;
    await mkdir(dirname(this.#options.path), { recursive: true });
    // 0600: arguments are redacted, but who called what is still private.
    const handle = await open(this.#options.path, "a", 0o600);
    this.#size = (await handle.stat()).size;
    this.#handle = handle;
    return handle;
  }

  async #rotate(): Promise<void> {
    await this.close();
    const { path, keep } = this.#options;
    for (let index = keep - 1; index >= 1; index--) {
      if (await exists(`${path}.${index}`))
        await rename(`${path}.${index}`, `${path}.${index + 1}`);
    }
    if (keep >= 1) await rename(path, `${path}.1`);
    else await rename(path, `${path}.old`);
    this.#size = 0;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
