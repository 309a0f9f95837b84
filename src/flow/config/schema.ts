/**
 * The `flows:` section of sophia.yaml as zod schemas. Transform and sink
 * options are checked here only for shape (one kind per entry); their own
 * schemas, owned by the transforms and sinks, validate the options.
 */
import { z } from "zod";
import { parseDuration, parseSize } from "../../config/index.ts";
import { FLOW_NAME, SLOT_NAME } from "./names.ts";

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_MAX_WAIT_MS = 20;
export const DEFAULT_HEARTBEAT_MS = 10_000;
export const DEFAULT_QUEUE_BATCHES = 4;
export const DEFAULT_WAL_CHECK_MS = 5_000;
export const DEFAULT_BACKFILL_CHUNK = 1000;
export const DEFAULT_MAX_ACK_PENDING = 500;
export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_STANDBY_POLL_MS = 1_000;

const duration = z.unknown().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: 'expected a duration such as "20ms", "10s" or 500' });
    return z.NEVER;
  }
  return ms;
});

const size = z.unknown().transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    ctx.addIssue({ code: "custom", message: 'expected a size such as "10GB", "512mb" or 1048576' });
    return z.NEVER;
  }
  return bytes;
});

const qualifiedTable = z
  .string()
  .regex(/^[^.\s]+\.[^.\s]+$/, 'expected "schema.table", for example public.tickets');

const tableEntry = z.union([
  qualifiedTable,
  z.strictObject({
    table: qualifiedTable,
    columns: z.array(z.string().min(1)).min(1).optional(),
    where: z.string().min(1).optional(),
    /** Copy the rows already in the table the first time the flow runs. */
    backfill: z.boolean().optional(),
  }),
]);

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// URL");

const slotName = z
  .string()
  .regex(SLOT_NAME, "expected lower-case letters, digits or _ (at most 63)");

const sourceSchema = z.strictObject({
  postgres: postgresUrl,
  tables: z.array(tableEntry).min(1, "list at least one table to capture"),
  slot: slotName.optional(),
  publication: slotName.optional(),
  /** `initial`: every table is backfilled the first time the flow runs (like `backfill: true` on each). */
  snapshot: z.enum(["initial", "never"]).default("never"),
  /** Rows per backfill chunk. */
  backfillChunk: z.number().int().min(1).max(100_000).default(DEFAULT_BACKFILL_CHUNK),
});

const subjectPrefix = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
    "expected subject tokens separated by dots, such as sophia.tickets",
  );

/** Distributed mode: capture publishes to JetStream, workers consume (src/flow/distributed). */
const distributedSchema = z.strictObject({
  nats: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  stream: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "expected letters, digits, - or _")
    .optional(),
  subjectPrefix: subjectPrefix.optional(),
  /** Messages a worker holds unacknowledged at once (its batch size). */
  maxAckPending: z.number().int().min(1).max(10_000).default(DEFAULT_MAX_ACK_PENDING),
  /** How long JetStream waits for a worker's ack before it may redeliver. */
  ackWait: duration.default(DEFAULT_ACK_WAIT_MS),
  /** How often a standby capture or worker tries to take the lead. */
  standbyPoll: duration.default(DEFAULT_STANDBY_POLL_MS),
});

/** `{ <kind>: options }` with exactly one key. */
const oneKind = z
  .record(z.string(), z.unknown())
  .refine((entry) => Object.keys(entry).length === 1, {
    message: "expected exactly one kind, for example { webhook: { url: ... } }",
  });

const stateSchema = z.union([
  z.strictObject({ postgres: postgresUrl, schema: slotName.optional() }),
  z.strictObject({ dir: z.string().min(1) }),
]);

export const flowSchema = z.strictObject({
  source: sourceSchema,
  transforms: z.array(oneKind).default([]),
  sinks: z
    .record(z.string().regex(FLOW_NAME, "expected a name of letters, digits, - or _"), oneKind)
    .refine((sinks) => Object.keys(sinks).length > 0, { message: "configure at least one sink" }),
  batch: z
    .strictObject({
      size: z.number().int().min(1).max(100_000).default(DEFAULT_BATCH_SIZE),
      maxWait: duration.default(DEFAULT_MAX_WAIT_MS),
    })
    .default({ size: DEFAULT_BATCH_SIZE, maxWait: DEFAULT_MAX_WAIT_MS }),
  queue: z.number().int().min(1).max(1000).default(DEFAULT_QUEUE_BATCHES),
  heartbeat: duration.default(DEFAULT_HEARTBEAT_MS),
  walBudget: z
    .strictObject({
      max: size.optional(),
      policy: z.enum(["alert", "pause"]).default("alert"),
      checkEvery: duration.default(DEFAULT_WAL_CHECK_MS),
    })
    .default({ policy: "alert", checkEvery: DEFAULT_WAL_CHECK_MS }),
  state: stateSchema.optional(),
  distributed: distributedSchema.optional(),
});

export type FlowInput = z.output<typeof flowSchema>;

export const flowsSchema = z.record(
  z.string().regex(FLOW_NAME, "a flow name starts with a letter: letters, digits, - or _"),
  flowSchema,
);
