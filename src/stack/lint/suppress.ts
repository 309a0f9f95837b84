/**
 * Inline suppressions: `# sophia-lint-ignore SDF001` (several ids separated by
 * commas or spaces) on the finding's line or the line above silences those rules
 * there. Dockerfiles and YAML share the `#` comment, so one syntax serves both.
 */
import type { Finding } from "./types.ts";

const MARKER = /#\s*sophia-lint-ignore\b([^#\n]*)/;

function idsOn(line: string | undefined): Set<string> {
  const match = line === undefined ? null : MARKER.exec(line);
  if (!match) return new Set();
  return new Set((match[1] ?? "").split(/[\s,]+/).filter((id) => /^SD[FC]\d{3}$/.test(id)));
}

/** Drops findings suppressed in their file; `texts` maps each file to its contents. */
export function applySuppressions(
  findings: Finding[],
  texts: ReadonlyMap<string, string>,
): Finding[] {
  const lines = new Map<string, string[]>();
  const linesOf = (file: string) => {
    let found = lines.get(file);
    if (!found) {
      found = (texts.get(file) ?? "").split("\n");
      lines.set(file, found);
    }
    return found;
  };
  return findings.filter((finding) => {
    const fileLines = linesOf(finding.file);
    const here = idsOn(fileLines[finding.line - 1]);
    const above = idsOn(fileLines[finding.line - 2]);
    return !here.has(finding.rule) && !above.has(finding.rule);
  });
}
