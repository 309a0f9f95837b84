import { errorMessage, SophiaError } from "../../shared/errors.ts";
import { lazyModule } from "../../shared/lazy-module.ts";
import type { Logger } from "../../shared/logger.ts";

const redis = lazyModule<typeof import("redis")>("redis");

function newClient(url: string) {
  return redis().createClient({
    url,
    // Fail commands at once while disconnected: a queued command would hold a tool call hostage.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 6), 2_000),
    },
  });
}

export type RedisClient = ReturnType<typeof newClient>;

export interface RedisOptions {
  url: string;
  logger: Logger;
  /** A command slower than this counts as Redis being unavailable. */
  commandTimeoutMs?: number;
}

/**
 * One Redis connection for the gateway's shared state (rate limits, result
 * cache, sessions). It connects in the background and reconnects forever;
 * `run` fails fast with REDIS_UNAVAILABLE while it is down, so each caller
 * applies its own degraded behaviour instead of waiting.
 */
export class GatewayRedis {
  readonly url: string;
  readonly client: RedisClient;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  #down = false;
  #closed = false;

  constructor(options: RedisOptions) {
    this.url = options.url;
    this.#logger = options.logger;
    this.#timeoutMs = options.commandTimeoutMs ?? 500;
    this.client = newClient(options.url);
    this.client.on("error", (error: unknown) => this.#markDown(error));
    this.client.on("ready", () => {
      if (this.#down) this.#logger.info({ redis: redactUrl(this.url) }, "redis is back");
      this.#down = false;
    });
    this.client.connect().catch((error: unknown) => this.#markDown(error));
  }

  /** True while connected and ready for commands. */
  get ready(): boolean {
    return this.client.isReady;
  }

  /** Runs commands; rejects with REDIS_UNAVAILABLE when disconnected, failing or slower than the timeout. */
  async run<T>(work: (client: RedisClient) => Promise<T>): Promise<T> {
    if (!this.client.isReady) throw unavailable(this.url, "not connected");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(unavailable(this.url, `no answer within ${this.#timeoutMs} ms`)),
        this.#timeoutMs,
      );
    });
    try {
      return await Promise.race([work(this.client), timeout]);
    } catch (error) {
      if (error instanceof SophiaError) throw error;
      // A script error is a bug, not an outage: say so, but callers degrade the same way.
      throw unavailable(this.url, errorMessage(error), error);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.client.isOpen) await this.client.close().catch(() => undefined);
    else this.client.destroy();
  }

  #markDown(error: unknown): void {
    if (this.#down || this.#closed) return;
    this.#down = true;
    // Logged once per outage; reconnection goes on in the background.
    this.#logger.warn(
      { redis: redactUrl(this.url), err: errorMessage(error) },
      "redis unavailable; reconnecting in the background",
    );
  }
}

function unavailable(url: string, why: string, cause?: unknown): SophiaError {
  return new SophiaError("REDIS_UNAVAILABLE", `Redis at ${redactUrl(url)} is unavailable: ${why}`, {
    hint: "check that Redis runs and gateway.redis points at it; the gateway keeps serving in its degraded mode",
    cause,
  });
}

/** The URL without a password, for logs and messages. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return "(invalid URL)";
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  return parsed.toString();
}
