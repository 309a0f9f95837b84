import type { ServerConfig, SophiaConfig } from "../../config/types.ts";
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Upstream } from "../upstream/types.ts";
import { readSecrets } from "./config.ts";
import { EscProvider } from "./esc.ts";
import type { SecretProvider } from "./provider.ts";
import { fillSlots, findSlots, ownMaps, type SecretSlot } from "./slots.ts";

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

type Factory<A extends unknown[]> = (name: string, server: ServerConfig, ...rest: A) => Upstream;
type Maps = Record<string, Record<string, string>>;

/**
 * Fills `${secret:…}` references in upstream headers and env from the
 * configured provider: before a server that uses them starts, then every
 * `refresh`. Values are written into header/env maps the server's config
 * owns, which each new connection or process reads, so a refreshed value
 * takes effect for new connections; open ones keep theirs. Values are never
 * logged: only paths are.
 */
export class UpstreamSecrets {
  readonly #provider: SecretProvider | undefined;
  readonly #refreshMs: number;
  readonly #logger: Logger;
  /** Slots of the servers currently built, each with the config whose maps it fills. */
  #slots: { slot: SecretSlot; config: ServerConfig }[] = [];
  readonly #waiting = new Set<() => void>();
  #reading: Promise<void> | undefined;
  #resolved = false;
  #retryMs = FIRST_RETRY_MS;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(config: SophiaConfig, logger: Logger, provider?: SecretProvider) {
    const settings = readSecrets(config);
    this.#provider = provider ?? (settings && new EscProvider(settings));
    this.#refreshMs = settings?.refreshMs ?? 300_000;
    this.#logger = logger.child({ part: "secrets" });
    // Configuration mistakes surface at construction, like every other section's.
    for (const [name, server] of Object.entries(config.servers)) this.#check(name, server);
  }

  /**
   * Wraps the upstream factory: a server whose headers or env use secrets
   * gets maps of its own to fill, and its upstream starts only once they are
   * filled. If the first read fails, `start()` rejects with why, reads are
   * retried, and the upstream starts after the first that succeeds.
   */
  wrap<A extends unknown[]>(factory: Factory<A>): Factory<A> {
    return (name, server, ...rest) => {
      const slots = this.#check(name, server);
      if (slots.length === 0) return factory(name, server, ...rest);
      const own = ownMaps({ [name]: server }, slots)[name]!;
      this.#slots = [
        ...this.#slots.filter((s) => s.slot.server !== name),
        ...slots.map((slot) => ({ slot, config: own })),
      ];
      const upstream = factory(name, own, ...rest);
      const start = upstream.start.bind(upstream);
      upstream.start = () => this.#whenFilled(start);
      return upstream;
    };
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #check(name: string, server: ServerConfig): SecretSlot[] {
    const slots = findSlots({ [name]: server });
    const first = slots[0];
    if (first && !this.#provider)
      throw new SophiaError(
        "CONFIG_INVALID",
        `server ${name} ${first.field} ${first.key} uses \${secret:${first.paths[0]}} but gateway.secrets is not configured`,
        {
          hint: `configure gateway.secrets (provider: esc, …) or use \${VAR} / \${file:/path} instead`,
        },
      );
    return slots;
  }

  async #whenFilled(start: () => Promise<void>): Promise<void> {
    try {
      // After the first read, a server added by a reload is filled by a read of its own.
      if (this.#resolved) await this.#read();
      else {
        this.#reading ??= this.#cycle();
        await this.#reading;
      }
    } catch (error) {
      if (!this.#resolved) this.#waiting.add(() => void start().catch(() => {}));
      throw error;
    }
    return start();
  }

  /** One read; whatever its outcome, the next is scheduled (sooner while nothing was ever read). */
  async #cycle(): Promise<void> {
    try {
      await this.#read();
    } finally {
      this.#schedule();
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    const delay = this.#resolved ? this.#refreshMs : this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    this.#timer = setTimeout(() => {
      this.#cycle().catch((error: unknown) =>
        this.#logger.warn(
          { err: errorMessage(error) },
          this.#resolved
            ? "upstream secrets not refreshed; the previous values stay in use"
            : "upstream secrets still unavailable; servers that use them wait",
        ),
      );
    }, delay);
    this.#timer.unref();
  }

  async #read(): Promise<void> {
    const provider = this.#provider!;
    const entries = this.#slots;
    const filled = fillSlots(
      entries.map((e) => e.slot),
      await provider.read(),
    );
    if (!filled.ok) {
      const { slot, path } = filled;
      throw new SophiaError(
        "SECRETS_UNAVAILABLE",
        `${provider.description} has no value at "${path}" (used by server ${slot.server} ${slot.field} ${slot.key})`,
        { hint: `add the value to the environment or fix the \${secret:…} path` },
      );
    }
    const changed = new Set<string>();
    filled.texts.forEach((text, index) => {
      const { slot, config } = entries[index]!;
      const map = (config as unknown as Maps)[slot.field]!;
      if (map[slot.key] === text) return;
      map[slot.key] = text;
      for (const path of slot.paths) changed.add(path);
    });
    if (!this.#resolved) this.#becameResolved(provider, entries.length);
    else if (changed.size > 0)
      this.#logger.info(
        { changed: [...changed] },
        "upstream secrets refreshed; new connections use the new values",
      );
  }

  #becameResolved(provider: SecretProvider, references: number): void {
    this.#resolved = true;
    this.#logger.info({ provider: provider.description, references }, "upstream secrets read");
    for (const start of this.#waiting) start();
    this.#waiting.clear();
  }
}
