/** Rules on limits a service should set: read-only root, no-new-privileges, memory and PIDs. */
import { asArray, type ComposeContext, limit, type Service, servicePath } from "./context.ts";

/** Reports at the key when it is present (wrong value), else at the service (missing). */
function reportAt(
  context: ComposeContext,
  rule: string,
  name: string,
  service: Service,
  key: string,
  message: string,
): void {
  const present = service[key] !== undefined;
  context.report(rule, servicePath(name, ...(present ? [key] : [])), message, {
    missing: !present,
  });
}

/** SDC008: read_only: true. */
export function readOnlyRoot(context: ComposeContext): void {
  for (const [name, service] of context.services) {
    if (service.read_only === true) continue;
    reportAt(
      context,
      "SDC008",
      name,
      service,
      "read_only",
      `service ${name} has a writable root filesystem`,
    );
  }
}

const NO_NEW_PRIVILEGES = /^no-new-privileges(?:[:=]true)?$/i;

/** SDC009: security_opt holds no-new-privileges:true. */
export function noNewPrivileges(context: ComposeContext): void {
  for (const [name, service] of context.services) {
    if (asArray(service.security_opt).some((option) => NO_NEW_PRIVILEGES.test(String(option)))) {
      continue;
    }
    reportAt(
      context,
      "SDC009",
      name,
      service,
      "security_opt",
      `service ${name} lacks no-new-privileges`,
    );
  }
}

/** SDC010: a memory limit; SDC011: a PIDs limit. */
export function resourceLimits(context: ComposeContext): void {
  for (const [name, service] of context.services) {
    if (service.mem_limit === undefined && limit(service, "memory") === undefined) {
      context.report("SDC010", servicePath(name), `service ${name} has no memory limit`, {
        missing: true,
      });
    }
    if (service.pids_limit === undefined && limit(service, "pids") === undefined) {
      context.report("SDC011", servicePath(name), `service ${name} has no PIDs limit`, {
        missing: true,
      });
    }
  }
}
