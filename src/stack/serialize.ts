/**
 * Deterministic text for generated YAML and JSON: the same value always gives
 * the same bytes. Generators build their values in a fixed order; JSON keys
 * are sorted because no JSON format we write gives key order a meaning.
 */
import { stringify } from "yaml";
import { headerComment } from "./header.ts";

/** YAML with the generated-file header. Repeated objects are written out, never as anchors. */
export function yamlFile(source: string, value: unknown): string {
  const body = stringify(value, {
    aliasDuplicateObjects: false,
    lineWidth: 0,
    indent: 2,
  });
  return `${headerComment(source, "hash")}${body}`;
}

/** Pretty JSON with keys sorted at every level and a final newline. */
export function jsonFile(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}
