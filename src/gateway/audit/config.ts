/** `gateway.audit` in sophia.yaml, validated with file:line:col errors. */
import { dirname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { parseSize, validateSection } from "../../config/index.ts";
import type { SophiaConfig } from "../../config/types.ts";
import type { Redaction } from "./redact.ts";

export interface AuditConfig {
  readonly sink:
    | { kind: "file"; path: string; maxBytes: number; keep: number }
    | { kind: "postgres"; url: string; table: string };
  readonly redaction: Redaction;
  /** Records waiting to be written; beyond this they are dropped (and counted). */
  readonly queue: number;
  readonly batch: number;
}

const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === undefined || bytes < 1024) {
    ctx.addIssue({ code: "custom", message: 'expected a size of at least 1kb such as "100mb"' });
    return z.NEVER;
  }
  return bytes;
});

const fileShape = {
  path: z.string().trim().min(1).default(".sophia/audit.jsonl"),
  maxSize: size.default(100 * 1024 * 1024),
  keep: z.number().int().min(0).max(1000).default(5),
};
const postgresShape = {
  url: z.string().trim().min(1),
  table: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/,
      "expected a table name such as sophia_audit or audit.sophia_audit",
    )
    .default("sophia_audit"),
};

const argumentsField = z.union([
  z.enum(["keys", "all", "none"]),
  z.strictObject({ redact: z.array(z.string().trim().min(1)).min(1) }),
]);

const auditShape = {
  file: z.strictObject(fileShape).optional(),
  postgres: z.strictObject(postgresShape).optional(),
  arguments: argumentsField.default("keys"),
  queue: z.number().int().min(1).max(10_000_000).default(10_000),
  batch: z.number().int().min(1).max(10_000).default(500),
};

/** Undefined when `gateway.audit` is absent; `audit: {}` writes .sophia/audit.jsonl. */
export function readAudit(config: SophiaConfig): AuditConfig | undefined {
  const raw = config.gateway.audit;
  if (raw === undefined) return undefined;
  const schema = z.strictObject(auditShape).refine((v) => !(v.file && v.postgres), {
    message: 'give either "file" or "postgres", not both',
  });
  const v = validateSection(
    config,
    ["gateway", "audit"],
    raw ?? {},
    schema,
    Object.keys(auditShape),
  );
  const base = config.file ? dirname(config.file) : process.cwd();
  const file = v.file ?? z.strictObject(fileShape).parse({});
  return {
    sink: v.postgres
      ? { kind: "postgres", url: v.postgres.url, table: v.postgres.table }
      : {
          kind: "file",
          path: isAbsolute(file.path) ? file.path : resolve(base, file.path),
          maxBytes: file.maxSize,
          keep: file.keep,
        },
    redaction:
      typeof v.arguments === "string"
        ? { mode: v.arguments }
        : { mode: "paths", paths: v.arguments.redact.map((path) => path.split(".")) },
    queue: v.queue,
    batch: v.batch,
  };
}
