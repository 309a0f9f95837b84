import { stat } from "node:fs/promises";
import { Counter, Gauge, type Registry } from "prom-client";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { PinningConfig } from "./config.ts";
import { readPins, writePins } from "./pin-file.ts";
import { EMPTY_PINS, type Pins, pendingChanges, pinKey, reconcile } from "./pins.ts";

/**
 * The gateway's pins: checked on every tools list refresh, saved to the pin
 * file, and re-read when the file changes (approvals by `sophia tools
 * approve` take effect without a restart).
 */
export class ToolPins {
  readonly mode: PinningConfig["mode"];
  readonly #config: PinningConfig;
  readonly #logger: Logger;
  readonly #changes: Counter;
  #pins: Pins = EMPTY_PINS;
  readonly #lists = new Map<string, readonly Readonly<Record<string, unknown>>[]>();
  #loaded: Promise<void>;
  #syncing: Promise<void> = Promise.resolve();
  /** -1: never read (0 is a missing file). */
  #mtimeMs = -1;
  /** In-memory pins not yet written. */
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(config: PinningConfig, registry: Registry, logger: Logger) {
    this.mode = config.mode;
    this.#config = config;
    this.#logger = logger;
    this.#changes = new Counter({
      name: "sophia_tool_definition_changes_total",
      help: "Tool definitions seen changed from their approved pin",
      registers: [registry],
    });
    const pins = () => this.#pins;
    new Gauge({
      name: "sophia_tool_definitions_changed",
      help: "Tools whose definition changed and is not approved yet",
      registers: [registry],
      collect() {
        this.set(pendingChanges(pins()).length);
      },
    });
    this.#loaded = this.#sync();
    this.#timer = setInterval(() => void this.#sync(), config.pollMs);
    this.#timer.unref();
  }

  /** Resolves once the pin file has been read. */
  ready(): Promise<void> {
    return this.#loaded;
  }

  /** Checks a server's freshly fetched tools list. */
  check(server: string, tools: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
    this.#lists.set(server, tools);
    // In memory at once, so a list or call right after the refresh already sees the change.
    const result = reconcile(this.#pins, server, tools, new Date().toISOString());
    if (result.pins !== this.#pins) {
      this.#pins = result.pins;
      this.#dirty = true;
    }
    for (const change of result.fresh) this.#report(change.key, change.changed);
    return this.#sync();
  }

  /** Whether calls to this tool are refused and it is hidden (mode "block", change not approved). */
  blocked(server: string, tool: string): boolean {
    return this.mode === "block" && this.#pins.tools[pinKey(server, tool)]?.pending !== undefined;
  }

  /** `server/tool` of every unapproved change, for /readyz. */
  changed(): string[] {
    return pendingChanges(this.#pins).map((change) => change.key);
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    return this.#syncing;
  }

  /**
   * The file is the truth for approvals, the last fetched lists for the
   * definitions: re-read the file when it changed, re-check every list
   * against it, save when that changed anything. Runs one at a time, so an
   * approval written by the CLI is never overwritten by a stale copy.
   */
  #sync(): Promise<void> {
    this.#syncing = this.#syncing.then(
      () => this.#syncOnce(),
      () => this.#syncOnce(),
    );
    return this.#syncing;
  }

  async #syncOnce(): Promise<void> {
    try {
      const mtimeMs = await mtimeOf(this.#config.file);
      if (mtimeMs !== this.#mtimeMs) {
        const disk = await readPins(this.#config.file);
        this.#mtimeMs = mtimeMs;
        this.#logApprovals(disk);
        let pins = disk;
        const now = new Date().toISOString();
        for (const [server, tools] of this.#lists) {
          const result = reconcile(pins, server, tools, now);
          pins = result.pins;
          for (const change of result.fresh)
            if (!this.#pins.tools[change.key]?.pending) this.#report(change.key, change.changed);
        }
        this.#pins = pins;
        this.#dirty = pins !== disk;
      }
      if (!this.#dirty) return;
      this.#dirty = false;
      await writePins(this.#config.file, this.#pins);
      this.#mtimeMs = await mtimeOf(this.#config.file);
    } catch (error) {
      this.#logger.error(
        { err: errorMessage(error), file: this.#config.file },
        "tool pin file: cannot sync; keeping the pins in memory",
      );
    }
  }

  #report(key: string, changed: readonly string[]): void {
    this.#changes.inc();
    this.#logger.warn(
      { tool: key, changed, mode: this.mode },
      `tool definition changed since it was approved; review it, then run: sophia tools approve ${key}`,
    );
  }

  #logApprovals(next: Pins): void {
    const approved = this.changed().filter((key) => !next.tools[key]?.pending);
    if (approved.length > 0) this.#logger.info({ tools: approved }, "tool definitions approved");
  }
}

function mtimeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.mtimeMs,
    () => 0,
  );
}
