/**
 * A flow's `transforms:` list from configuration: each entry names one kind
 * (filter, map, enrich, embed) and its options, and an optional name for logs.
 */
import { z } from "zod";
import type { Logger } from "../../shared/logger.ts";
import {
  type ContentHashLookup,
  createEmbed,
  type Embedder,
  embedOptionsSchema,
} from "../embed/index.ts";
import type { Transform } from "../transform.ts";
import { createEnrich, enrichOptionsSchema } from "./enrich.ts";
import { createFilter, filterOptionsSchema } from "./filter.ts";
import { createMap, mapOptionsSchema } from "./map.ts";

const name = z.string().min(1).optional();

export const transformConfigSchema = z.union([
  z.object({ name, filter: filterOptionsSchema }).strict(),
  z.object({ name, map: mapOptionsSchema }).strict(),
  z.object({ name, enrich: enrichOptionsSchema }).strict(),
  z.object({ name, embed: embedOptionsSchema }).strict(),
]);
export const transformsConfigSchema = z.array(transformConfigSchema);

export type TransformConfig = z.output<typeof transformConfigSchema>;

export interface TransformDeps {
  /** Folder of the configuration file: module paths are relative to it. */
  configDir: string;
  logger: Logger;
  /** The vector sink's stored content hashes, for embed. */
  contentHashLookup?: ContentHashLookup;
  /** Replaces the configured embedding provider (tests, providers written in code). */
  embedder?: Embedder;
}

/** Builds the transforms in order; module loading errors name the file and export. */
export async function createTransforms(
  entries: TransformConfig[],
  deps: TransformDeps,
): Promise<Transform[]> {
  const transforms: Transform[] = [];
  for (const [index, entry] of entries.entries())
    transforms.push(await createOne(entry, index, deps));
  return transforms;
}

async function createOne(
  entry: TransformConfig,
  index: number,
  deps: TransformDeps,
): Promise<Transform> {
  const context = { configDir: deps.configDir };
  if ("filter" in entry)
    return createFilter(entry.filter, context, entry.name ?? `filter#${index}`);
  if ("map" in entry) return createMap(entry.map, context, entry.name ?? `map#${index}`);
  if ("enrich" in entry)
    return createEnrich(entry.enrich, context, entry.name ?? `enrich#${index}`);
  const embedDeps = {
    logger: deps.logger,
    ...(deps.contentHashLookup === undefined ? {} : { lookup: deps.contentHashLookup }),
    ...(deps.embedder === undefined ? {} : { embedder: deps.embedder }),
  };
  return createEmbed(entry.embed, embedDeps, entry.name ?? `embed#${index}`);
}
