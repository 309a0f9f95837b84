/** Human output: one finding per line with its fix below, then a summary. */
import type { Finding, Severity } from "../types.ts";

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

export function formatText(findings: readonly Finding[], files: readonly string[]): string[] {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.file}:${f.line}:${f.col}  ${f.severity.padEnd(7)}  ${f.rule}  ${f.message}`);
    lines.push(`    fix: ${f.hint}`);
  }
  const counts = countBySeverity(findings);
  const inFiles = `${files.length} file${files.length === 1 ? "" : "s"}`;
  lines.push(
    findings.length === 0
      ? `no findings in ${inFiles}`
      : `${findings.length} finding${findings.length === 1 ? "" : "s"} (${counts.error} errors, ${counts.warning} warnings, ${counts.info} info) in ${inFiles}`,
  );
  return lines;
}
