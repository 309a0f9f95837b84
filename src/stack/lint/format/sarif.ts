/**
 * SARIF 2.1.0 for GitHub code scanning: every rule in tool.driver.rules (with
 * help text), each finding a result located by a path relative to the
 * repository root (%SRCROOT%). Rule documentation: docs/lint.md.
 */
import { RULES } from "../catalog.ts";
import type { Finding, RuleInfo, Severity } from "../types.ts";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

function describeRule(rule: RuleInfo) {
  const references = rule.references.length > 0 ? `\nSee also: ${rule.references.join(", ")}.` : "";
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: {
      text: `${rule.why}\nFix: ${rule.hint}${references}`,
      markdown: `${rule.why}\n\n**Fix:** ${rule.hint}${references}`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ["security", rule.id.startsWith("SDF") ? "dockerfile" : "compose"] },
  };
}

export function formatSarif(findings: readonly Finding[], version: string): string {
  const index = new Map(RULES.map((rule, at) => [rule.id, at]));
  const results = findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule) ?? -1,
    level: LEVEL[f.severity],
    message: { text: `${f.message}. Fix: ${f.hint}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: "%SRCROOT%" },
          region: { startLine: f.line, startColumn: f.col },
        },
      },
    ],
  }));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "sophia-lint",
            version,
            rules: RULES.map(describeRule),
          },
        },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
