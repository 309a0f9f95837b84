/**
 * The durable consumer of one sink. A worker that died leaves messages it
 * held unacknowledged; JetStream would redeliver them after ack_wait, behind
 * newer ones. The new leader instead restarts the consumer right after the
 * ack floor, so the sink sees the stream again in order from there.
 */
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  type JetStreamManager,
} from "@nats-io/jetstream";
import { errorMessage } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { DistributedSpec } from "../config/types.ts";

export function consumerName(sink: string): string {
  return `sophia_${sink.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

export function consumerConfig(spec: DistributedSpec, sink: string): Partial<ConsumerConfig> {
  return {
    durable_name: consumerName(sink),
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: spec.maxAckPending,
    ack_wait: spec.ackWaitMs * 1_000_000,
    filter_subject: `${spec.subjectPrefix}.>`,
    deliver_policy: DeliverPolicy.All,
  };
}

/** Creates the consumer, or restarts it after its ack floor when a previous worker left messages pending. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  spec: DistributedSpec,
  sink: string,
  logger: Logger,
): Promise<void> {
  const config = consumerConfig(spec, sink);
  const name = config.durable_name as string;
  const info = await jsm.consumers.info(spec.stream, name).catch((error: unknown) => {
    if (/consumer not found/i.test(errorMessage(error))) return undefined;
    throw error;
  });
  if (info === undefined) {
    await jsm.consumers.add(spec.stream, config);
    return;
  }
  if (info.num_ack_pending === 0) return;
  const from = info.ack_floor.stream_seq + 1;
  logger.warn(
    { consumer: name, pending: info.num_ack_pending, from },
    "a previous worker left messages unacknowledged; redelivering in order from the ack floor",
  );
  await jsm.consumers.delete(spec.stream, name);
  await jsm.consumers.add(spec.stream, {
    ...config,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: from,
  });
}
