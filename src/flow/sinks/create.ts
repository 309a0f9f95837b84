/** Picks a sink by its configured `kind`: the one place that knows every sink. */
import { z } from "zod";
import { SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Sink } from "../sink.ts";
import type { DeadLetterStore } from "./dead-letter/store.ts";
import { natsSinkOptions } from "./nats/options.ts";
import { createNatsSink } from "./nats/sink.ts";
import { pgvectorSinkOptions } from "./pgvector/options.ts";
import { createPgvectorSink } from "./pgvector/sink.ts";
import { pineconeSinkOptions } from "./pinecone/options.ts";
import { createPineconeSink } from "./pinecone/sink.ts";
import { postgresSinkOptions } from "./postgres/options.ts";
import { createPostgresSink } from "./postgres/sink.ts";
import { qdrantSinkOptions } from "./qdrant/options.ts";
import { createQdrantSink } from "./qdrant/sink.ts";
import { redisSinkOptions } from "./redis/options.ts";
import { createRedisSink } from "./redis/sink.ts";
import { weaviateSinkOptions } from "./weaviate/options.ts";
import { createWeaviateSink } from "./weaviate/sink.ts";
import { webhookSinkOptions } from "./webhook/options.ts";
import { createWebhookSink } from "./webhook/sink.ts";

/** Every sink's options, told apart by `kind`. */
export const sinkConfigSchema = z.discriminatedUnion("kind", [
  webhookSinkOptions,
  pgvectorSinkOptions,
  postgresSinkOptions,
  redisSinkOptions,
  natsSinkOptions,
  qdrantSinkOptions,
  weaviateSinkOptions,
  pineconeSinkOptions,
]);

export type SinkConfig = z.output<typeof sinkConfigSchema>;
export type SinkKind = SinkConfig["kind"];
export const SINK_KINDS: readonly SinkKind[] = sinkConfigSchema.options.map(
  (o) => o.shape.kind.value,
);

export interface SinkDeps {
  logger: Logger;
  flow: string;
  /** Where webhook sinks put what receivers refuse; required for webhook sinks. */
  deadLetters?: DeadLetterStore;
  /** The flow's source database (postgres sinks with createTable copy column types from it). */
  sourceConnectionString?: string;
}

export function createSink(name: string, config: SinkConfig, deps: SinkDeps): Sink {
  const base = { logger: deps.logger, flow: deps.flow };
  switch (config.kind) {
    case "webhook":
      if (deps.deadLetters === undefined) {
        throw new SophiaError("FLOW_STATE", `webhook sink "${name}" has no dead-letter store`, {
          hint: "the flow engine passes its state database's store; library callers pass deadLetters",
        });
      }
      return createWebhookSink(name, config, { ...base, deadLetters: deps.deadLetters });
    case "pgvector":
      return createPgvectorSink(name, config, base);
    case "postgres":
      return createPostgresSink(name, config, {
        ...base,
        ...(deps.sourceConnectionString === undefined
          ? {}
          : { sourceConnectionString: deps.sourceConnectionString }),
      });
    case "redis":
      return createRedisSink(name, config, base);
    case "nats":
      return createNatsSink(name, config, base);
    case "qdrant":
      return createQdrantSink(name, config, base);
    case "weaviate":
      return createWeaviateSink(name, config, base);
    case "pinecone":
      return createPineconeSink(name, config, base);
  }
}
