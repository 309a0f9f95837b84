/** `gateway.policies` in sophia.yaml, validated with file:line:col errors. */
import { z } from "zod";
import { validateSection } from "../../config/index.ts";
import type { SophiaConfig } from "../../config/types.ts";
import type { ArgumentConstraint, Policies, Rule } from "./types.ts";

const text = z.string().trim().min(1);
const globs = z.union([text, z.array(text)]).transform((v) => (Array.isArray(v) ? v : [v]));
const KINDS = ["tool", "prompt", "resource"] as const;

const pattern = text.transform((source, ctx) => {
  try {
    return new RegExp(`^(?:${source})$`, "u");
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      message: `expected a regular expression: ${(error as Error).message}`,
    });
    return z.NEVER;
  }
});

const constraintShape = {
  values: z.array(z.unknown()).min(1).optional(),
  pattern: pattern.optional(),
  maxLength: z.number().int().nonnegative().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
};

const ruleShape = {
  name: text.optional(),
  effect: z.enum(["allow", "deny"]),
  servers: globs.default(["*"]),
  kinds: z
    .array(z.enum(KINDS))
    .min(1)
    .default([...KINDS]),
  names: globs.default(["*"]),
  subjects: globs.default([]),
  roles: globs.default([]),
  scopes: globs.default([]),
  keyIds: globs.default([]),
  arguments: z.record(z.string(), z.strictObject(constraintShape)).default({}),
};

const policiesShape = {
  default: z.enum(["allow", "deny"]).optional(),
  rules: z.array(z.strictObject(ruleShape)).default([]),
};

/** Undefined when `gateway.policies` is absent: every call is allowed, lists are not filtered. */
export function readPolicies(config: SophiaConfig): Policies | undefined {
  if (config.gateway.policies === undefined) return undefined;
  const schema = z.strictObject(policiesShape);
  const v = validateSection(
    config,
    ["gateway", "policies"],
    config.gateway.policies,
    schema,
    Object.keys(policiesShape),
  );
  const rules: Rule[] = v.rules.map((rule, index) => ({
    ...rule,
    name: rule.name ?? `rules[${index}]`,
    arguments: rule.arguments as Record<string, ArgumentConstraint>,
  }));
  return { rules, default: v.default };
}
