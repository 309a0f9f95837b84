/**
 * Identity of sequence entries in a Compose service, as the merge rules see it:
 * two entries with the same key are the same resource (a port binding, a mount
 * target, a variable name), so an override file changes it instead of adding a
 * duplicate. Short and long syntax give the same key.
 */
import { isPlainObject } from "./compose-tags.ts";

function str(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}

/** Splits "[ip:][published:]target[/protocol]" (IPv6 hosts in brackets). */
export function parsePortString(spec: string): {
  ip: string;
  published: string;
  target: string;
  protocol: string;
} {
  const [body = "", protocol = "tcp"] = spec.split("/");
  let ip = "";
  let rest = body;
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(body);
  if (bracket) {
    ip = bracket[1] ?? "";
    rest = bracket[2] ?? "";
  }
  const parts = rest.split(":");
  if (!bracket && parts.length > 3) {
    // Unbracketed IPv6 host: everything before the last two parts.
    ip = parts.slice(0, -2).join(":");
    return { ip, published: parts.at(-2) ?? "", target: parts.at(-1) ?? "", protocol };
  }
  if (parts.length === 3) ip = parts[0] ?? "";
  const target = parts.at(-1) ?? "";
  const published = parts.length >= 2 ? (parts.at(-2) ?? "") : "";
  return { ip, published, target, protocol };
}

export function portKey(item: unknown): string {
  if (isPlainObject(item)) {
    return [item.host_ip, item.target, item.published, item.protocol ?? "tcp"].map(str).join("|");
  }
  const port = parsePortString(str(item));
  return [port.ip, port.target, port.published, port.protocol].join("|");
}

/** Container path of a volume: "src:target[:mode]", "target", or the long form's target. */
export function volumeTarget(item: unknown): string {
  if (isPlainObject(item)) return str(item.target);
  const parts = str(item).split(":");
  return parts.length === 1 ? (parts[0] ?? "") : (parts[1] ?? "");
}

function mountedAt(item: unknown, folder: string): string {
  const source = isPlainObject(item) ? str(item.source) : str(item);
  const target = isPlainObject(item) ? str(item.target) : "";
  if (target === "") return `${folder}${source}`;
  return target.startsWith("/") ? target : `${folder}${target}`;
}

/** The unique key of one entry of a keyed service sequence, per the merge rules. */
export function keyedEntryKey(attribute: string, item: unknown): string {
  switch (attribute) {
    case "ports":
      return portKey(item);
    case "volumes":
      return volumeTarget(item);
    case "secrets":
      return mountedAt(item, "/run/secrets/");
    case "configs":
      return mountedAt(item, "/");
    case "devices": {
      if (isPlainObject(item)) return str(item.target);
      const parts = str(item).split(":");
      return parts[1] ?? parts[0] ?? "";
    }
    default:
      return isPlainObject(item) || Array.isArray(item) ? JSON.stringify(item) : str(item);
  }
}

/** Name of a "KEY=value" (or "host:ip" for extra_hosts) list entry. */
export function listEntryName(attribute: string, entry: string): [string, string | null] {
  const equals = entry.indexOf("=");
  const colon = attribute === "extra_hosts" ? entry.indexOf(":") : -1;
  const at = equals >= 0 ? equals : colon;
  return at < 0 ? [entry, null] : [entry.slice(0, at), entry.slice(at + 1)];
}

/**
 * Environment, labels, extra_hosts and similar are a list or a mapping; the merge
 * works on the mapping. "KEY" alone (no value) maps to null, as Compose does.
 */
export function toMapping(attribute: string, value: unknown): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  if (!Array.isArray(value)) return out;
  for (const entry of value) {
    const [name, item] = listEntryName(attribute, str(entry));
    Object.defineProperty(out, name, {
      value: item,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
