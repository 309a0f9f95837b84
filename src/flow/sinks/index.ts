/** Flow sinks: where change batches end up. The engine and the CLI import from here only. */
export {
  createSink,
  SINK_KINDS,
  type SinkConfig,
  type SinkDeps,
  type SinkKind,
  sinkConfigSchema,
} from "./create.ts";
export { createFileDeadLetterStore } from "./dead-letter/file.ts";
export {
  createPostgresDeadLetterStore,
  DEAD_LETTER_TABLE,
  type PostgresDeadLetterOptions,
} from "./dead-letter/postgres.ts";
export type {
  DeadLetter,
  DeadLetterFilter,
  DeadLetterStore,
  NewDeadLetter,
} from "./dead-letter/store.ts";
export { type NatsSinkOptions, natsSinkOptions } from "./nats/options.ts";
export { createNatsSink, type NatsSinkDeps } from "./nats/sink.ts";
export { type PgvectorSinkOptions, pgvectorSinkOptions } from "./pgvector/options.ts";
export { createPgvectorSink, type PgvectorSinkDeps } from "./pgvector/sink.ts";
export { type PineconeSinkOptions, pineconeSinkOptions } from "./pinecone/options.ts";
export { createPineconeSink, type PineconeSinkDeps } from "./pinecone/sink.ts";
export {
  type PostgresSinkOptions,
  postgresSinkOptions,
} from "./postgres/options.ts";
export { createPostgresSink, type PostgresSinkDeps } from "./postgres/sink.ts";
export { type QdrantSinkOptions, qdrantSinkOptions } from "./qdrant/options.ts";
export { createQdrantSink, type QdrantSinkDeps } from "./qdrant/sink.ts";
export { type RedisSinkOptions, redisSinkOptions } from "./redis/options.ts";
export { createRedisSink, type RedisSinkDeps } from "./redis/sink.ts";
export { type EventJson, eventToJson } from "./shared/event-json.ts";
export { CHECKPOINT_TABLE } from "./shared/pg-checkpoint.ts";
export { type WeaviateSinkOptions, weaviateSinkOptions } from "./weaviate/options.ts";
export { createWeaviateSink, type WeaviateSinkDeps } from "./weaviate/sink.ts";
export {
  createWebhookDelivery,
  type DeliveryOutcome,
  type WebhookDelivery,
} from "./webhook/delivery.ts";
export { type WebhookSinkOptions, webhookSinkOptions } from "./webhook/options.ts";
export { type ReplayResult, replayDeadLetters } from "./webhook/replay.ts";
export {
  SIGNATURE_HEADER,
  sign as signWebhookBody,
  verify as verifyWebhookSignature,
} from "./webhook/signature.ts";
export { createWebhookSink, type WebhookSinkDeps } from "./webhook/sink.ts";
