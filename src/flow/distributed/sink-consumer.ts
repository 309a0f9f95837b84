/**
 * Feeds one sink from its durable consumer: batches of delivered messages,
 * written in stream order, acknowledged (with the server's confirmation)
 * only after the sink made them durable. A failed write is retried on the
 * same batch, holding its messages (`working`) so none is redelivered meanwhile.
 */
import { type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { DistributedSpec } from "../config/types.ts";
import { Aborted, DEFAULT_BACKOFF, retryUntil } from "../engine/retry.ts";
import type { Sink } from "../sink.ts";
import { consumerName, ensureConsumer } from "./consumer.ts";
import { eventFromJson } from "./event-codec.ts";
import { Inbox } from "./inbox.ts";

export interface SinkConsumerOptions {
  nc: NatsConnection;
  spec: DistributedSpec;
  sink: Sink;
  logger: Logger;
  signal: AbortSignal;
  /** After the first message of a batch, how long to wait for more. */
  batchWaitMs?: number;
  onWritten?(count: number): void;
}

export async function consumeIntoSink(o: SinkConsumerOptions): Promise<void> {
  const jsm = await jetstreamManager(o.nc);
  await ensureConsumer(jsm, o.spec, o.sink.name, o.logger);
  const consumer = await jetstream(o.nc).consumers.get(o.spec.stream, consumerName(o.sink.name));
  const messages = await consumer.consume({ max_messages: o.spec.maxAckPending });
  const inbox = new Inbox<JsMsg>(messages);
  // Stream sequence written in this run: a message JetStream redelivers after ack_wait is older; skip it.
  let written = 0;
  try {
    while (!o.signal.aborted && !inbox.ended) {
      const batch = await inbox.take(o.spec.maxAckPending, o.batchWaitMs ?? 20, 500);
      if (batch.length === 0) continue;
      const fresh = batch.filter((m) => m.info.streamSequence > written);
      if (fresh.length > 0) await writeBatch(o, fresh, batch);
      await Promise.all(batch.map((m) => m.ackAck()));
      for (const m of batch) written = Math.max(written, m.info.streamSequence);
      o.onWritten?.(fresh.length);
    }
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
  } finally {
    await messages.close().catch(() => undefined);
  }
}

async function writeBatch(o: SinkConsumerOptions, fresh: JsMsg[], held: JsMsg[]): Promise<void> {
  const events = fresh.map((m) =>
    eventFromJson(m.json(), `subject ${m.subject} seq ${m.info.streamSequence}`),
  );
  await retryUntil(() => o.sink.write({ events, checkpoint: undefined }), {
    backoff: DEFAULT_BACKOFF,
    signal: o.signal,
    onFailure: (error, attempt) => {
      for (const m of held) m.working();
      o.logger.warn(
        { sink: o.sink.name, attempt, err: errorMessage(error) },
        "sink write failed; retrying the same messages",
      );
    },
  });
}
