/**
 * Merges Compose files the way `docker compose -f a -f b` does (Compose
 * specification, "Merge"): mappings merge key by key, sequences append, and
 * these exceptions hold —
 * - `command`, `entrypoint` and `healthcheck.test` are replaced, never appended;
 * - `ports`, `volumes`, `secrets`, `configs` and `devices` merge by their unique
 *   key (see compose-keys.ts): an entry with a known key changes that entry;
 * - `environment`, `labels`, `extra_hosts`, `annotations`, `sysctls`, `build.args`
 *   may be lists or mappings and merge as mappings, name by name;
 * - `dns`, `cap_add`, `expose` and other lists of plain values gain only values
 *   they do not hold yet;
 * - `depends_on` and service `networks` (a list of names or a mapping) merge by name;
 * - `!reset` removes a key, `!override` replaces it without merging.
 * Pure: inputs are never modified. Normalization happens only where two files
 * meet, so merging with an empty file gives the same value back.
 */
import { keyedEntryKey, toMapping } from "./compose-keys.ts";
import { isPlainObject, OverrideValue, ResetValue, setKey, stripTags } from "./compose-tags.ts";

export type ComposeDocument = Record<string, unknown>;

type Strategy = "replace" | "keyed" | "mapping" | "union" | "named" | "build" | "default";

const SERVICE_STRATEGIES: Record<string, Strategy> = {
  command: "replace",
  entrypoint: "replace",
  ports: "keyed",
  volumes: "keyed",
  secrets: "keyed",
  configs: "keyed",
  devices: "keyed",
  environment: "mapping",
  labels: "mapping",
  extra_hosts: "mapping",
  annotations: "mapping",
  sysctls: "mapping",
  dns: "union",
  dns_search: "union",
  dns_opt: "union",
  expose: "union",
  cap_add: "union",
  cap_drop: "union",
  security_opt: "union",
  external_links: "union",
  links: "union",
  tmpfs: "union",
  env_file: "union",
  group_add: "union",
  profiles: "union",
  depends_on: "named",
  networks: "named",
  build: "build",
};

/** Which rule merges the value at `path` (keys from the document root). */
function strategyFor(path: readonly string[]): Strategy {
  if (path[0] !== "services" || path.length < 3) return "default";
  const attribute = path[2] ?? "";
  if (path.length === 3) return SERVICE_STRATEGIES[attribute] ?? "default";
  if (path.length === 4 && attribute === "healthcheck" && path[3] === "test") return "replace";
  if (path.length === 4 && attribute === "build" && (path[3] === "args" || path[3] === "labels")) {
    return "mapping";
  }
  return "default";
}

/** Merges one override file into a base (both Compose documents, already parsed). */
export function mergeCompose(base: unknown, override: unknown): ComposeDocument {
  const left = isPlainObject(base) ? base : {};
  if (!isPlainObject(override)) return mergeMapping([], left, {});
  return mergeMapping([], left, override);
}

/** Merges files in order, as `-f first -f second …`; the first may hold tags too. */
export function mergeComposeFiles(documents: readonly unknown[]): ComposeDocument {
  return documents.reduce<ComposeDocument>((merged, next) => mergeCompose(merged, next), {});
}

function mergeMapping(
  path: readonly string[],
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) setKey(out, key, value);
  for (const [key, value] of Object.entries(override)) {
    if (value instanceof ResetValue) delete out[key];
    else if (value instanceof OverrideValue || !Object.hasOwn(out, key)) {
      setKey(out, key, stripTags(value));
    } else setKey(out, key, mergeValue([...path, key], out[key], value));
  }
  return out;
}

function mergeValue(path: readonly string[], base: unknown, override: unknown): unknown {
  switch (strategyFor(path)) {
    case "replace":
      return stripTags(override);
    case "keyed":
      return mergeKeyed(path.at(-1) ?? "", asList(base), asList(override), path);
    case "mapping": {
      const attribute = path.at(-1) ?? "";
      return mergeFlat(toMapping(attribute, base), toMapping(attribute, stripEntries(override)));
    }
    case "union":
      return union(asList(base), asList(stripTags(override)));
    case "named":
      return mergeNamed(path, base, override);
    case "build":
      return mergeMapping(path, asBuild(base), asBuild(override));
    default:
      return mergeDefault(path, base, override);
  }
}

function mergeDefault(path: readonly string[], base: unknown, override: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(override)) return mergeMapping(path, base, override);
  if (Array.isArray(base) && Array.isArray(override)) return [...base, ...stripList(override)];
  return stripTags(override);
}

function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

function stripList(list: unknown[]): unknown[] {
  return list.map(stripTags);
}

/** A mapping whose values may carry tags keeps ResetValue markers for mergeFlat. */
function stripEntries(value: unknown): unknown {
  if (!isPlainObject(value)) return Array.isArray(value) ? stripList(value) : value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    setKey(out, key, item instanceof ResetValue ? item : stripTags(item));
  }
  return out;
}

function mergeFlat(base: Record<string, unknown>, override: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) setKey(out, key, value);
  for (const [key, value] of Object.entries(override)) {
    if (value instanceof ResetValue) delete out[key];
    else setKey(out, key, value);
  }
  return out;
}

function mergeKeyed(
  attribute: string,
  base: unknown[],
  override: unknown[],
  path: readonly string[],
): unknown[] {
  const out = [...base];
  const index = new Map<string, number>();
  out.forEach((item, at) => {
    const key = keyedEntryKey(attribute, item);
    if (!index.has(key)) index.set(key, at);
  });
  for (const raw of override) {
    const item = stripTags(raw);
    const key = keyedEntryKey(attribute, item);
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push(item);
    } else {
      const current = out[at];
      out[at] =
        isPlainObject(current) && isPlainObject(item) ? mergeMapping(path, current, item) : item;
    }
  }
  return out;
}

function union(base: unknown[], override: unknown[]): unknown[] {
  const out = [...base];
  const seen = new Set(base.map((item) => keyedEntryKey("", item)));
  for (const item of override) {
    const key = keyedEntryKey("", item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** depends_on / networks: both lists stay a list; otherwise both become mappings by name. */
function mergeNamed(path: readonly string[], base: unknown, override: unknown): unknown {
  const clean = stripEntries(override);
  if (Array.isArray(base) && Array.isArray(clean)) return union(base, clean);
  const left = namedMapping(base);
  const right = namedMapping(clean);
  const out: Record<string, unknown> = { ...left };
  for (const [name, value] of Object.entries(right)) {
    const current = out[name];
    if (value instanceof ResetValue) delete out[name];
    else if (value === null && Object.hasOwn(out, name)) continue;
    else if (isPlainObject(current) && isPlainObject(value)) {
      setKey(out, name, mergeMapping([...path, name], current, value));
    } else setKey(out, name, value);
  }
  return out;
}

function namedMapping(value: unknown): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const name of asList(value)) setKey(out, String(name), null);
  return out;
}

function asBuild(value: unknown): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  return typeof value === "string" ? { context: value } : {};
}
