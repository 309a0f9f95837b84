/** A merged Compose model with its source map, and the report function its rules share. */
import { ruleInfo } from "../catalog.ts";
import type { ComposeDocument } from "../compose-merge.ts";
import { isPlainObject } from "../compose-tags.ts";
import type { ModelPath, SourceMap } from "../source-map.ts";
import type { Finding, Severity } from "../types.ts";

export type Service = Record<string, unknown>;

export interface ComposeContext {
  model: ComposeDocument;
  services: [name: string, service: Service][];
  /** Production set (see docs/lint.md): missing healthchecks are warnings. */
  prod: boolean;
  /** Reports at the place that set `path`; `missing` reports at the service's own definition. */
  report(rule: string, path: ModelPath, message: string, options?: ReportOptions): void;
}

export interface ReportOptions {
  missing?: boolean;
  severity?: Severity;
}

export function createComposeContext(
  model: ComposeDocument,
  map: SourceMap,
  prod: boolean,
  findings: Finding[],
): ComposeContext {
  const services = isPlainObject(model.services)
    ? Object.entries(model.services).map(([name, body]): [string, Service] => [
        name,
        isPlainObject(body) ? body : {},
      ])
    : [];
  return {
    model,
    services,
    prod,
    report(rule, path, message, options = {}) {
      const info = ruleInfo(rule);
      const where = options.missing ? map.origin(path) : map.locate(path);
      findings.push({
        rule,
        severity: options.severity ?? info.severity,
        ...where,
        message,
        hint: info.hint,
      });
    },
  };
}

export const servicePath = (name: string, ...rest: string[]): string[] => [
  "services",
  name,
  ...rest,
];

export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** deploy.resources.limits.<key>, or undefined. */
export function limit(service: Service, key: string): unknown {
  const deploy = isPlainObject(service.deploy) ? service.deploy : {};
  const resources = isPlainObject(deploy.resources) ? deploy.resources : {};
  const limits = isPlainObject(resources.limits) ? resources.limits : {};
  return limits[key];
}

/** A service has a working healthcheck of its own (not `disable: true`, not test NONE). */
export function hasHealthcheck(service: Service): boolean {
  const check = service.healthcheck;
  if (!isPlainObject(check) || check.disable === true) return false;
  const test = check.test;
  if (Array.isArray(test) && test[0] === "NONE") return false;
  return test !== undefined && test !== null;
}
