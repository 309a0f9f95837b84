/**
 * The source-map name of a sequence entry: the same name the merge uses to
 * match entries across files, so a finding on a merged entry points at the
 * file that last set it.
 */
import { keyedEntryKey, listEntryName } from "./compose-keys.ts";

const MAPPING_LISTS = new Set(["environment", "labels", "extra_hosts", "annotations", "sysctls"]);
const KEYED = new Set(["ports", "volumes", "secrets", "configs", "devices"]);

export function entryPathKey(path: readonly string[], item: unknown, index: number): string {
  const attribute = path.at(-1) ?? "";
  const inService = path[0] === "services" && path.length === 3;
  const inBuild = path[0] === "services" && path.length === 4 && path[2] === "build";
  if ((inService && MAPPING_LISTS.has(attribute)) || (inBuild && attribute === "args")) {
    return listEntryName(attribute, String(item))[0];
  }
  if (inService && KEYED.has(attribute)) return keyedEntryKey(attribute, item);
  if (typeof item === "string" || typeof item === "number") return String(item);
  return `#${index}`;
}
