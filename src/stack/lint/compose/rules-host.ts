/** Rules on what the host shares with a container: privileged mode, namespaces, docker.sock, capabilities. */
import { keyedEntryKey, volumeTarget } from "../compose-keys.ts";
import { isPlainObject } from "../compose-tags.ts";
import { asArray, type ComposeContext, servicePath } from "./context.ts";

/** SDC001–SDC004: privileged, and host network, PID or IPC namespaces. */
export function hostNamespaces(context: ComposeContext): void {
  for (const [name, service] of context.services) {
    if (service.privileged === true) {
      context.report("SDC001", servicePath(name, "privileged"), `service ${name} is privileged`);
    }
    const shared: [string, string][] = [
      ["network_mode", "SDC002"],
      ["pid", "SDC003"],
      ["ipc", "SDC004"],
    ];
    for (const [key, rule] of shared) {
      if (service[key] === "host") {
        context.report(rule, servicePath(name, key), `service ${name} uses ${key}: host`);
      }
    }
  }
}

function volumeSource(item: unknown): string {
  if (isPlainObject(item)) return String(item.source ?? "");
  const parts = String(item).split(":");
  return parts.length > 1 ? (parts[0] ?? "") : "";
}

/** SDC005: /var/run/docker.sock (or any docker.sock) mounted. */
export function dockerSocket(context: ComposeContext): void {
  for (const [name, service] of context.services) {
    for (const volume of asArray(service.volumes)) {
      const source = volumeSource(volume);
      if (!source.endsWith("docker.sock")) continue;
      context.report(
        "SDC005",
        servicePath(name, "volumes", keyedEntryKey("volumes", volume)),
        `service ${name} mounts the Docker socket ${source} at ${volumeTarget(volume)}`,
      );
    }
  }
}

const DANGEROUS = new Set([
  ...["ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO"],
  ...["DAC_READ_SEARCH", "SYS_TIME", "BPF", "SYS_BOOT", "MAC_ADMIN", "NET_RAW"],
]);

const capName = (value: unknown) => String(value).toUpperCase().replace(/^CAP_/, "");

/** SDC006: dangerous capabilities added; SDC007: ALL not dropped. */
export function capabilities(context: ComposeContext): void {
  for (const [name, service] of context.services) {
    for (const cap of asArray(service.cap_add)) {
      if (!DANGEROUS.has(capName(cap))) continue;
      const path = servicePath(name, "cap_add", String(cap));
      context.report("SDC006", path, `service ${name} adds capability ${capName(cap)}`);
    }
    if (!asArray(service.cap_drop).some((cap) => capName(cap) === "ALL")) {
      const hasKey = service.cap_drop !== undefined;
      context.report(
        "SDC007",
        servicePath(name, ...(hasKey ? ["cap_drop"] : [])),
        `service ${name} does not drop ALL capabilities`,
        { missing: !hasKey },
      );
    }
  }
}
