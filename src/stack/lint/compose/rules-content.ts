/** Rules on what a service runs and carries: images, secrets in environment, healthchecks. */
import { toMapping } from "../compose-keys.ts";
import { hasVariable, unpinnedReason, withDefaults } from "../image-ref.ts";
import { secretReason } from "../secrets.ts";
import { type ComposeContext, hasHealthcheck, servicePath } from "./context.ts";

/** SDC015: no literal secrets in environment (list or mapping form). */
export function noSecretsInEnvironment(context: ComposeContext): void {
  for (const [name, service] of context.services) {
    const environment = toMapping("environment", service.environment);
    for (const [key, value] of Object.entries(environment)) {
      const reason = secretReason(key, value);
      if (!reason) continue;
      context.report(
        "SDC015",
        servicePath(name, "environment", key),
        `service ${name}: environment ${reason}`,
      );
    }
  }
}

/** SDC016: images pinned by tag or digest (built images are named, not pulled: skipped). */
export function pinnedImages(context: ComposeContext): void {
  for (const [name, service] of context.services) {
    if (typeof service.image !== "string" || service.build !== undefined) continue;
    const image = withDefaults(service.image);
    if (hasVariable(image)) continue;
    const reason = unpinnedReason(image);
    if (reason) context.report("SDC016", servicePath(name, "image"), `service ${name}: ${reason}`);
  }
}

/** SDC017: each service has a healthcheck (built images may bring theirs: skipped). */
export function serviceHealthchecks(context: ComposeContext): void {
  for (const [name, service] of context.services) {
    if (hasHealthcheck(service)) continue;
    if (service.build !== undefined && service.healthcheck === undefined) continue;
    const present = service.healthcheck !== undefined;
    context.report(
      "SDC017",
      servicePath(name, ...(present ? ["healthcheck"] : [])),
      `service ${name} has ${present ? "its healthcheck disabled" : "no healthcheck"}`,
      { missing: !present, severity: context.prod ? "warning" : "info" },
    );
  }
}
