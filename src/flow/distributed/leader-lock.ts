/**
 * One leader per role (a flow's capture, or one sink's worker): a
 * PostgreSQL advisory lock held by a session that lives as long as the
 * leader. A standby polls pg_try_advisory_lock; when the leader dies its
 * session ends, the server releases the lock, and the standby takes it.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import { errorMessage, SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";

/** A stable signed 64-bit key for a role name (advisory locks take a bigint). */
export function lockKey(role: string): string {
  return createHash("sha256").update(role).digest().readBigInt64BE(0).toString();
}

export interface LeaderLockOptions {
  connectionString: string;
  /** "sophia.flow:<flow>:capture" or "sophia.flow:<flow>:worker:<sink>" */
  role: string;
  pollMs: number;
  logger: Logger;
  /** Called once when another process holds the lock (this one waits as a standby). */
  onStandby?: () => void;
}

export class LeaderLock {
  readonly #o: LeaderLockOptions;
  #client: pg.Client | undefined;
  #lost: (reason: unknown) => void = () => undefined;
  /** Resolves when the lock's session ends while held: the caller must stop leading. */
  readonly lost: Promise<unknown>;

  constructor(options: LeaderLockOptions) {
    this.#o = options;
    this.lost = new Promise((resolve) => {
      this.#lost = resolve;
    });
  }

  /** Waits (standby) until the lock is ours; false when `signal` aborted first. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    let announced = false;
    while (!signal.aborted) {
      const got = await this.#try().catch((error: unknown) => {
        this.#o.logger.warn(
          { role: this.#o.role, err: errorMessage(error) },
          "leader lock: cannot ask; retrying",
        );
        return false;
      });
      if (got) return true;
      if (!announced) {
        this.#o.logger.info({ role: this.#o.role }, "standby: another process leads; waiting");
        this.#o.onStandby?.();
      }
      announced = true;
      await sleep(this.#o.pollMs, signal);
    }
    return false;
  }

  async #try(): Promise<boolean> {
    const client = this.#client ?? (await this.#connect());
    const { rows } = await client.query<{ ok: boolean }>(
      "SELECT pg_try_advisory_lock($1::bigint) AS ok",
      [lockKey(this.#o.role)],
    );
    return rows[0]?.ok === true;
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.#o.connectionString,
      application_name: "sophia-flow-leader",
      keepAlive: true,
    });
    const drop = (reason: unknown) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      this.#lost(
        new SophiaError(
          "FLOW_STATE",
          `leader lock ${this.#o.role}: its session ended (${errorMessage(reason)})`,
          {
            hint: "another process may lead now; this one stops and can be started again as a standby",
          },
        ),
      );
    };
    client.on("error", drop);
    client.on("end", () => drop("connection closed"));
    try {
      await client.connect();
    } catch (error) {
      throw new SophiaError(
        "FLOW_SOURCE_NOT_READY",
        `leader lock: cannot connect: ${errorMessage(error)}`,
        {
          hint: "the lock lives in the flow's source database: check source.postgres",
          cause: error,
        },
      );
    }
    this.#client = client;
    return client;
  }

  async release(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
