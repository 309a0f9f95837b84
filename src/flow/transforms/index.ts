/** Transforms declared in configuration (filter, map, enrich) or written in code (defineTransform, pipeline). */

export { defineTransform, pipeline, type TransformFn } from "./compose.ts";
export { type Condition, columnChanged, conditionSchema, matches } from "./condition.ts";
export {
  createEnrich,
  type EnrichFn,
  type EnrichOptions,
  enrichOptionsSchema,
  enrichTransform,
} from "./enrich.ts";
export {
  createFilter,
  type FilterOptions,
  filterOptionsSchema,
  filterTransform,
  type Predicate,
} from "./filter.ts";
export {
  createTransforms,
  type TransformConfig,
  type TransformDeps,
  transformConfigSchema,
  transformsConfigSchema,
} from "./from-config.ts";
export { createMap, type MapFn, type MapOptions, mapOptionsSchema, mapTransform } from "./map.ts";
export {
  loadModuleFunction,
  type ModuleRef,
  moduleRefSchema,
  type TransformContext,
} from "./module-ref.ts";
export { compileReshape, type ReshapeSpec } from "./reshape.ts";
export { parseTemplate, type Template } from "./template.ts";
export { type TestEventInit, testEvent } from "./test-event.ts";
