/** Rules on how services reach each other and the outside: published ports, start order. */
import { keyedEntryKey, parsePortString } from "../compose-keys.ts";
import { isPlainObject } from "../compose-tags.ts";
import { hasVariable, withDefaults } from "../image-ref.ts";
import { asArray, type ComposeContext, hasHealthcheck, servicePath } from "./context.ts";

function hostIp(port: unknown): string | undefined {
  if (isPlainObject(port)) {
    // The long form publishes only with `published`; without it the port is random, still on every interface.
    return String(port.host_ip ?? "");
  }
  const spec = withDefaults(String(port));
  if (hasVariable(spec)) return undefined;
  return parsePortString(spec).ip;
}

/** SDC012: every published port names a host interface (explicit 0.0.0.0 counts as named). */
export function boundPorts(context: ComposeContext): void {
  for (const [name, service] of context.services) {
    for (const port of asArray(service.ports)) {
      const ip = hostIp(port);
      // An explicit 0.0.0.0 or :: is a decision written down; only a missing host IP is flagged.
      if (ip !== "") continue;
      const shown = isPlainObject(port) ? `target ${String(port.target)}` : String(port);
      context.report(
        "SDC012",
        servicePath(name, "ports", keyedEntryKey("ports", port)),
        `service ${name} publishes ${shown} on every interface`,
      );
    }
  }
}

/** The dependencies of a service, with their condition (short form: none). */
function dependencies(value: unknown): [string, string | undefined][] {
  if (isPlainObject(value)) {
    return Object.entries(value).map(([target, spec]) => [
      target,
      isPlainObject(spec) && typeof spec.condition === "string" ? spec.condition : undefined,
    ]);
  }
  return asArray(value).map((target) => [String(target), undefined]);
}

/** SDC013, SDC014, SDC018: depends_on waits for health, of a service that has a healthcheck and exists. */
export function healthyDependencies(context: ComposeContext): void {
  const byName = new Map(context.services);
  for (const [name, service] of context.services) {
    for (const [target, condition] of dependencies(service.depends_on)) {
      const path = servicePath(name, "depends_on", target);
      const dependency = byName.get(target);
      if (!dependency) {
        context.report(
          "SDC018",
          path,
          `service ${name} depends on ${target}, which is not defined`,
        );
      } else if (condition === "service_healthy") {
        // A built image may bring its own HEALTHCHECK; only a disabled check is known to be missing.
        const builtWithCheck =
          dependency.build !== undefined && dependency.healthcheck === undefined;
        if (!hasHealthcheck(dependency) && !builtWithCheck) {
          context.report(
            "SDC013",
            path,
            `service ${name} waits for ${target} to be healthy, but ${target} has no healthcheck`,
          );
        }
      } else if (condition === undefined || condition === "service_started") {
        context.report(
          "SDC014",
          path,
          `service ${name} starts after ${target} without waiting for it to be healthy`,
        );
      }
    }
  }
}
