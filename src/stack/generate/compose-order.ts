/**
 * A canonical order for Compose files, so the output is stable and reads the
 * way Compose linters (dclint's ordering rules) expect: top-level keys in
 * spec order, services and depends_on sorted by name, service keys grouped
 * (what it is, what it needs, data, environment, network, runtime,
 * metadata, security), published ports quoted.
 * A service with both `build` and `image` says `pull_policy: build`: the
 * image name is only the tag of what is built locally.
 */
import { Scalar } from "yaml";

const TOP = ["name", "services", "networks", "volumes", "secrets", "configs"];
const SERVICE = [
  "image",
  "build",
  "container_name",
  "depends_on",
  "volumes",
  "volumes_from",
  "configs",
  "secrets",
  "environment",
  "env_file",
  "ports",
  "networks",
  "network_mode",
  "extra_hosts",
  "command",
  "entrypoint",
  "working_dir",
  "restart",
  "healthcheck",
  "logging",
  "labels",
  "user",
  "isolation",
];

type Mapping = Record<string, unknown>;

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keys in `order` first (in that order), the rest sorted. */
function ordered(value: Mapping, order: readonly string[]): Mapping {
  const known = order.filter((key) => key in value);
  const rest = Object.keys(value)
    .filter((key) => !order.includes(key))
    .sort(byName);
  return Object.fromEntries([...known, ...rest].map((key) => [key, value[key]]));
}

function sortedMapping(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return ordered(value as Mapping, []);
}

function quoted(text: string): Scalar {
  const scalar = new Scalar(text);
  scalar.type = Scalar.QUOTE_SINGLE;
  return scalar;
}

function canonicalService(service: Mapping): Mapping {
  const next: Mapping = { ...service };
  if ("depends_on" in next) next.depends_on = sortedMapping(next.depends_on);
  if (Array.isArray(next.ports)) {
    next.ports = next.ports.map((port) => (typeof port === "string" ? quoted(port) : port));
  }
  return ordered(next, SERVICE);
}

export function canonicalCompose(document: Mapping): Mapping {
  const next: Mapping = { ...document };
  if (typeof next.services === "object" && next.services !== null) {
    const services = next.services as Record<string, Mapping>;
    next.services = Object.fromEntries(
      Object.keys(services)
        .sort(byName)
        .map((name) => [name, canonicalService(services[name]!)]),
    );
  }
  for (const key of ["networks", "volumes", "secrets", "configs"]) {
    if (key in next) next[key] = sortedMapping(next[key]);
  }
  return ordered(next, TOP);
}
