/** The audit log of every tool call, prompt get and resource read: JSON lines or PostgreSQL. */
export { type Audit, buildAudit } from "./build.ts";
export { type AuditConfig, readAudit } from "./config.ts";
export { FileAuditSink } from "./file-sink.ts";
export { auditInterceptor } from "./interceptor.ts";
export { PgAuditSink, quoteTable } from "./pg-sink.ts";
export { AuditQueue, type AuditSink } from "./queue.ts";
export { type AuditOutcome, type AuditRecord, classify } from "./record.ts";
export { REDACTED, type Redaction, redactArguments } from "./redact.ts";
