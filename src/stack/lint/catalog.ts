/** Every rule the linter knows, for SARIF's rule list, `--help` and the docs. */
import { COMPOSE_RULES } from "./compose/catalog.ts";
import { DOCKERFILE_RULES } from "./dockerfile/catalog.ts";
import type { RuleInfo } from "./types.ts";

export const RULES: readonly RuleInfo[] = [...DOCKERFILE_RULES, ...COMPOSE_RULES];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

export function ruleInfo(id: string): RuleInfo {
  const rule = BY_ID.get(id);
  if (!rule) throw new Error(`unknown lint rule ${id}`);
  return rule;
}
