import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { JsonRpcMessage } from "../jsonrpc/messages.ts";
import type { GatewayRedis, RedisClient } from "../redis/index.ts";

/** What one instance tells the others about a session. */
export type SessionEvent =
  | { op: "changed"; id: string; rev: number }
  | { op: "deleted"; id: string }
  /** A client message that belongs to a call running on another instance (an answer, a cancel). */
  | { op: "relay"; id: string; message: JsonRpcMessage };

type Envelope = SessionEvent & { from: string };

/**
 * Redis pub/sub between gateway instances sharing sessions. Delivery is
 * best effort (pub/sub keeps nothing for an instance that is reconnecting):
 * every request re-reads the session anyway, so a lost event only delays
 * what reaches an open GET stream until the client's next request.
 */
export class SessionEvents {
  readonly #redis: GatewayRedis;
  readonly #channel: string;
  readonly #instance: string;
  readonly #logger: Logger;
  #subscriber: RedisClient | undefined;

  constructor(redis: GatewayRedis, channel: string, instance: string, logger: Logger) {
    this.#redis = redis;
    this.#channel = channel;
    this.#instance = instance;
    this.#logger = logger;
  }

  /** Listens on a connection of its own (a subscribed connection can run nothing else). */
  async listen(onEvent: (event: SessionEvent) => void): Promise<void> {
    const subscriber = this.#redis.client.duplicate();
    this.#subscriber = subscriber;
    // The main connection already reports outages; without a listener an error would crash the process.
    subscriber.on("error", () => undefined);
    await subscriber.connect();
    await subscriber.subscribe(this.#channel, (text: string) => {
      const event = parse(text);
      if (event && event.from !== this.#instance) onEvent(event);
    });
  }

  /** Publishes; an outage is logged, not thrown (the store is the truth, events only hurry it). */
  async publish(event: SessionEvent): Promise<void> {
    const text = JSON.stringify({ ...event, from: this.#instance });
    try {
      await this.#redis.run((c) => c.publish(this.#channel, text));
    } catch (error) {
      this.#logger.debug({ op: event.op, err: errorMessage(error) }, "session event not published");
    }
  }

  async close(): Promise<void> {
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (!subscriber) return;
    if (subscriber.isOpen) await subscriber.close().catch(() => undefined);
    else subscriber.destroy();
  }
}

function parse(text: string): Envelope | undefined {
  try {
    const value = JSON.parse(text) as Partial<Envelope> | null;
    return typeof value?.id === "string" && typeof value.from === "string"
      ? (value as Envelope)
      : undefined;
  } catch {
    return undefined;
  }
}
