/**
 * Builds the transforms and sinks a flow names from their kinds. Each
 * kind's options are validated with the schema its owner publishes; with a
 * configuration file, errors point at file:line:col.
 */
import type { z } from "zod";
import { type SophiaConfig, validateSection } from "../../config/index.ts";
import { SophiaError } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { FlowSpec, PartSpec, SinkSpec } from "../config/types.ts";
import { createEmbed, embedOptionsSchema } from "../embed/index.ts";
import type { Sink } from "../sink.ts";
import { createSink, type DeadLetterStore, SINK_KINDS, sinkConfigSchema } from "../sinks/index.ts";
import type { Transform } from "../transform.ts";
import {
  createEnrich,
  createFilter,
  createMap,
  enrichOptionsSchema,
  filterOptionsSchema,
  mapOptionsSchema,
} from "../transforms/index.ts";

export interface PartsContext {
  /** The loaded configuration, so option errors point into its file; absent for the one-line form. */
  config: SophiaConfig | undefined;
  configDir: string;
  logger: Logger;
  deadLetters: DeadLetterStore;
}

export function validateOptions<T>(
  ctx: PartsContext,
  part: PartSpec,
  value: unknown,
  schema: z.ZodType<T>,
): T {
  if (ctx.config !== undefined) return validateSection(ctx.config, part.path, value, schema);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new SophiaError(
    "USAGE",
    `${part.kind}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
    {
      hint: "see docs/flow.md for the options of each kind",
    },
  );
}

const TRANSFORM_KINDS = ["filter", "map", "enrich", "embed"];

/** Any sink kind the sinks part knows, its options validated by that part's schema. */
export function buildSink(flow: FlowSpec, spec: SinkSpec, ctx: PartsContext): Sink {
  if (!(SINK_KINDS as readonly string[]).includes(spec.kind))
    throw unknownKind("sink", spec, [...SINK_KINDS]);
  const options = validateOptions(
    ctx,
    spec,
    { kind: spec.kind, ...(spec.options as object) },
    sinkConfigSchema,
  );
  return createSink(spec.name, options, {
    logger: ctx.logger.child({ sink: spec.name }),
    flow: flow.name,
    deadLetters: ctx.deadLetters,
    sourceConnectionString: flow.source.connectionString,
  });
}

export async function buildTransform(spec: PartSpec, ctx: PartsContext): Promise<Transform> {
  const context = { configDir: ctx.configDir };
  switch (spec.kind) {
    case "filter":
      return createFilter(validateOptions(ctx, spec, spec.options, filterOptionsSchema), context);
    case "map":
      return createMap(validateOptions(ctx, spec, spec.options, mapOptionsSchema), context);
    case "enrich":
      return createEnrich(validateOptions(ctx, spec, spec.options, enrichOptionsSchema), context);
    case "embed":
      return createEmbed(validateOptions(ctx, spec, spec.options, embedOptionsSchema), {
        logger: ctx.logger,
      });
    default:
      throw unknownKind("transform", spec, TRANSFORM_KINDS);
  }
}

function unknownKind(what: string, spec: PartSpec, known: string[]): SophiaError {
  return new SophiaError(
    "CONFIG_INVALID",
    `${spec.path.join(".")}: unknown ${what} kind "${spec.kind}"`,
    {
      hint: `known ${what} kinds: ${known.join(", ")}`,
    },
  );
}
