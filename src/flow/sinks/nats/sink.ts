/**
 * NATS JetStream sink: one message per event on
 * `<prefix>.<schema>.<table>.<op>`, with `Nats-Msg-Id` = event id so JetStream
 * drops redeliveries inside its duplicate window. The whole batch is
 * published, then every PubAck awaited: durable once all acks arrived.
 */

import type { JetStreamClient } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { errorMessage, SophiaError } from "../../../shared/errors.ts";
import { lazyModule } from "../../../shared/lazy-module.ts";
import type { Logger } from "../../../shared/logger.ts";
import type { ChangeBatch, ChangeEvent } from "../../events.ts";
import { eventId } from "../../events.ts";
import type { Sink } from "../../sink.ts";
import { eventToJson, stringify } from "../shared/event-json.ts";
import type { NatsSinkOptions } from "./options.ts";

/** Loaded on first use: flows without a NATS sink never load the client. */
const jetstreamApi = lazyModule<typeof import("@nats-io/jetstream")>("@nats-io/jetstream");
const transport = lazyModule<typeof import("@nats-io/transport-node")>("@nats-io/transport-node");

export interface NatsSinkDeps {
  logger: Logger;
  flow: string;
}

/** A subject token: dots, spaces and wildcards would split or widen the subject. */
function token(text: string): string {
  return text.replace(/[.\s*>]/g, "_");
}

export function subjectOf(prefix: string, event: ChangeEvent): string {
  return `${prefix}.${token(event.source.schema)}.${token(event.source.table)}.${event.op}`;
}

async function ensureStream(nc: NatsConnection, options: NatsSinkOptions): Promise<void> {
  const jsm = await jetstreamApi().jetstreamManager(nc);
  const { name } = options.stream;
  try {
    await jsm.streams.info(name);
    return;
  } catch (error) {
    if (!/stream not found/i.test(errorMessage(error))) throw error;
  }
  if (!options.stream.create) {
    throw new SophiaError("FLOW_SINK_FAILED", `JetStream stream "${name}" does not exist`, {
      hint: `create it with subjects "${options.subjectPrefix}.>", or set stream.create: true`,
    });
  }
  await jsm.streams.add({
    name,
    subjects: [`${options.subjectPrefix}.>`],
    duplicate_window: options.stream.duplicateWindow * 1_000_000,
  });
}

export function createNatsSink(name: string, options: NatsSinkOptions, deps: NatsSinkDeps): Sink {
  let nc: NatsConnection | undefined;
  let js: JetStreamClient | undefined;

  async function open(): Promise<void> {
    const auth = { token: options.token, user: options.user, pass: options.password };
    nc = await transport().connect({
      servers: options.servers,
      ...auth,
      name: `sophia-flow-${deps.flow}-${name}`,
    });
    await ensureStream(nc, options);
    js = jetstreamApi().jetstream(nc);
  }

  async function publishAll(client: JetStreamClient, batch: ChangeBatch): Promise<void> {
    const acks = batch.events.map((event) =>
      client.publish(subjectOf(options.subjectPrefix, event), stringify(eventToJson(event)), {
        msgID: eventId(event),
        timeout: options.ackTimeout,
      }),
    );
    const results = await Promise.allSettled(acks);
    const failed = results.find((r) => r.status === "rejected");
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  }

  return {
    name,
    guarantee: "at-least-once",
    async start() {
      if (js !== undefined) return;
      try {
        await open();
      } catch (error) {
        await nc?.close().catch(() => undefined);
        nc = undefined;
        if (error instanceof SophiaError) throw error;
        throw new SophiaError(
          "FLOW_SINK_FAILED",
          `sink "${name}": cannot reach JetStream: ${errorMessage(error)}`,
          {
            hint: "check servers and credentials, and that the NATS server runs with JetStream enabled (-js)",
            cause: error,
          },
        );
      }
    },
    async write(batch) {
      if (js === undefined) {
        throw new SophiaError("FLOW_SINK_FAILED", `sink "${name}" was used before start()`, {
          hint: "the flow engine starts each sink before writing; this is a bug to report",
        });
      }
      try {
        await publishAll(js, batch);
      } catch (error) {
        throw new SophiaError(
          "FLOW_SINK_FAILED",
          `sink "${name}": not every PubAck arrived: ${errorMessage(error)}`,
          {
            hint: "the engine retries the batch; Nats-Msg-Id drops what JetStream already has",
            cause: error,
          },
        );
      }
    },
    async stop() {
      const current = nc;
      nc = undefined;
      js = undefined;
      await current?.drain().catch(() => undefined);
    },
  };
}
