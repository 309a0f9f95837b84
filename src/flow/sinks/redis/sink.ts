/**
 * Redis Streams sink: XADD per event with fields id, op, table, key, before,
 * after (JSON). Entries, the last written id per stream and the checkpoint go
 * in one MULTI, so a replay after a crash appends nothing twice. Durable as
 * far as Redis keeps what it acknowledged (enable AOF with fsync for that).
 */
import { errorMessage, SophiaError } from "../../../shared/errors.ts";
import { lazyModule } from "../../../shared/lazy-module.ts";
import type { Logger } from "../../../shared/logger.ts";
import type { ChangeBatch, ChangeEvent } from "../../events.ts";
import { eventId } from "../../events.ts";
import { formatLsn, parseLsn } from "../../lsn.ts";
import type { Sink } from "../../sink.ts";
import { stringify } from "../shared/event-json.ts";
import { planAppends } from "./dedup.ts";
import type { RedisSinkOptions } from "./options.ts";

/** Loaded on first use: flows without a Redis sink never load the client. */
const redis = lazyModule<typeof import("redis")>("redis");

export interface RedisSinkDeps {
  logger: Logger;
  flow: string;
}

/** Reconnects with growing waits; gives up after about 3 s so a dead server fails the batch instead of hanging it. */
function newClient(url: string) {
  return redis().createClient({
    url,
    socket: {
      reconnectStrategy: (retries: number) =>
        retries >= 6 ? new Error("Redis unreachable") : Math.min(50 * 2 ** retries, 2000),
    },
  });
}

type Client = ReturnType<typeof newClient>;

export function streamName(template: string, flow: string, event: ChangeEvent): string {
  return template
    .replaceAll("{flow}", flow)
    .replaceAll("{schema}", event.source.schema)
    .replaceAll("{table}", event.source.table);
}

export function entryFields(event: ChangeEvent): Record<string, string> {
  return {
    id: eventId(event),
    op: event.op,
    table: `${event.source.schema}.${event.source.table}`,
    key: stringify(event.key),
    before: stringify(event.before),
    after: stringify(event.after),
  };
}

export function createRedisSink(
  name: string,
  options: RedisSinkOptions,
  deps: RedisSinkDeps,
): Sink {
  let client: Client | undefined;
  const state = `${options.stateKeyPrefix}:${deps.flow}:${name}`;
  const lastKey = (stream: string) => `${state}:last:${stream}`;
  const checkpointKey = `${state}:checkpoint`;
  const trim =
    options.maxLen === undefined
      ? undefined
      : {
          TRIM: {
            strategy: "MAXLEN" as const,
            strategyModifier: "~" as const,
            threshold: options.maxLen,
          },
        };

  let started = false;

  function connected() {
    if (client !== undefined) return client;
    if (started) {
      throw new SophiaError("FLOW_SINK_FAILED", `sink "${name}": Redis connection lost`, {
        hint: "check that Redis is running; the next write reconnects",
      });
    }
    throw new SophiaError("FLOW_SINK_FAILED", `sink "${name}" was used before start()`, {
      hint: "the flow engine starts each sink before writing; this is a bug to report",
    });
  }

  async function writeBatch(batch: ChangeBatch): Promise<void> {
    const redis = connected();
    const streamOf = (event: ChangeEvent) => streamName(options.stream, deps.flow, event);
    const streams = [...new Set(batch.events.map(streamOf))];
    const stored = streams.length === 0 ? [] : await redis.mGet(streams.map(lastKey));
    const plan = planAppends(
      batch.events,
      streamOf,
      new Map(streams.map((s, i) => [s, stored[i] ?? null])),
    );
    const multi = redis.multi();
    for (const [stream, events] of plan.appends) {
      for (const event of events) multi.xAdd(stream, "*", entryFields(event), trim);
      multi.set(lastKey(stream), plan.lastIds.get(stream)!);
    }
    const previous = await redis.get(checkpointKey);
    if (
      batch.checkpoint !== undefined &&
      (previous === null || parseLsn(previous) < batch.checkpoint)
    ) {
      multi.set(checkpointKey, formatLsn(batch.checkpoint));
    }
    await multi.exec();
  }

  return {
    name,
    guarantee: "exactly-once",
    async start() {
      started = true;
      if (client !== undefined) return;
      const fresh = newClient(options.url);
      fresh.on("error", (error: unknown) =>
        deps.logger.warn({ sink: name, error: errorMessage(error) }, "redis connection error"),
      );
      try {
        await fresh.connect();
      } catch (error) {
        fresh.destroy();
        throw new SophiaError(
          "FLOW_SINK_FAILED",
          `sink "${name}": cannot connect to Redis: ${errorMessage(error)}`,
          {
            hint: "check the sink's url and that Redis is running",
            cause: error,
          },
        );
      }
      client = fresh;
    },
    async write(batch) {
      if (client !== undefined && !client.isOpen) client = undefined; // gave up reconnecting
      if (started && client === undefined) await this.start();
      try {
        await writeBatch(batch);
      } catch (error) {
        if (error instanceof SophiaError) throw error;
        throw new SophiaError(
          "FLOW_SINK_FAILED",
          `sink "${name}": batch not written to Redis: ${errorMessage(error)}`,
          {
            hint: "the MULTI was not applied; the engine retries the batch",
            cause: error,
          },
        );
      }
    },
    async storedCheckpoint() {
      const text = await connected().get(checkpointKey);
      return text === null ? undefined : parseLsn(text);
    },
    async stop() {
      started = false;
      const current = client;
      client = undefined;
      if (current?.isOpen) await current.close();
    },
  };
}
