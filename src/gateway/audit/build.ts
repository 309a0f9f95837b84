import type { Registry } from "prom-client";
import type { Logger } from "../../shared/logger.ts";
import type { Interceptor } from "../mcp/call-pipeline.ts";
import type { AuditConfig } from "./config.ts";
import { FileAuditSink } from "./file-sink.ts";
import { auditInterceptor } from "./interceptor.ts";
import { auditMetrics } from "./metrics.ts";
import { PgAuditSink } from "./pg-sink.ts";
import { AuditQueue, type AuditSink } from "./queue.ts";

export interface Audit {
  readonly interceptor: Interceptor;
  readonly queue: AuditQueue;
  /** Writes what is queued, then closes the sink. */
  close(): Promise<void>;
}

export function buildAudit(config: AuditConfig, registry: Registry, logger: Logger): Audit {
  const sink: AuditSink =
    config.sink.kind === "file"
      ? new FileAuditSink({
          path: config.sink.path,
          maxBytes: config.sink.maxBytes,
          keep: config.sink.keep,
        })
      : new PgAuditSink({ url: config.sink.url, table: config.sink.table });
  let queue: AuditQueue | undefined;
  const hooks = auditMetrics(registry, () => queue?.length ?? 0);
  queue = new AuditQueue(
    sink,
    { capacity: config.queue, batchSize: config.batch, ...hooks },
    logger.child({ part: "audit" }),
  );
  const built = queue;
  return {
    interceptor: auditInterceptor(built, config.redaction),
    queue: built,
    close: () => built.close(),
  };
}
