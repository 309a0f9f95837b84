/**
 * Reads the expectations written into lint fixtures: a comment line
 * `# expect SDF001 [SDC002 …]` means those rules fire on the next line.
 */
import type { Finding } from "../../../src/stack/lint/index.ts";

export function expectedIn(file: string, text: string): string[] {
  const lines = text.split("\n");
  const expected: string[] = [];
  lines.forEach((line, index) => {
    const match = /^\s*#\s*expect\s+(.+)$/.exec(line);
    if (!match) return;
    for (const rule of (match[1] ?? "").trim().split(/\s+/))
      expected.push(`${file}:${index + 2} ${rule}`);
  });
  return expected;
}

export function actual(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.file}:${f.line} ${f.rule}`).sort();
}
