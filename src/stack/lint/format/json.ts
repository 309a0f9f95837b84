/** Machine output: a stable JSON document (format version 1). */
import type { Finding } from "../types.ts";
import { countBySeverity } from "./text.ts";

export function formatJson(findings: readonly Finding[], files: readonly string[]): string {
  return JSON.stringify(
    {
      version: 1,
      files,
      summary: { total: findings.length, ...countBySeverity(findings) },
      findings: findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        file: f.file,
        line: f.line,
        col: f.col,
        message: f.message,
        hint: f.hint,
      })),
    },
    null,
    2,
  );
}
