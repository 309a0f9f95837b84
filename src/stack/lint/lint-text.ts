/** Lints file contents already read: pure, so tests and other parts need no files on disk. */
import { lintComposeModel } from "./compose/lint-compose.ts";
import { loadCompose } from "./compose-load.ts";
import { mergeComposeFiles } from "./compose-merge.ts";
import { lintDockerfile } from "./dockerfile/lint-dockerfile.ts";
import { SourceMap } from "./source-map.ts";
import { applySuppressions } from "./suppress.ts";
import { atLeast, type Finding } from "./types.ts";

export interface SourceText {
  /** The name findings carry (a relative path). */
  file: string;
  text: string;
}

/**
 * Merges Compose files in order (base first) and lints the result; each finding
 * points at the file and line that set the offending value.
 * @throws SophiaError LINT_INPUT_INVALID when a file is not valid YAML or not a mapping
 */
export function lintComposeTexts(
  files: readonly SourceText[],
  options: { prod: boolean },
): Finding[] {
  const first = files[0]?.file ?? "compose.yaml";
  const map = new SourceMap({ file: first, line: 1, col: 1 });
  const documents = files.map((source) => loadCompose(source.text, source.file, map));
  const findings = lintComposeModel(mergeComposeFiles(documents), map, options);
  return applySuppressions(findings, new Map(files.map((f) => [f.file, f.text])));
}

export function lintDockerfileText(source: SourceText, options: { prod: boolean }): Finding[] {
  const findings = lintDockerfile(source.text, source.file, options);
  return applySuppressions(findings, new Map([[source.file, source.text]]));
}

/**
 * Sorts by file, line, column and rule, and drops repeats (a base file is linted
 * once per merge set); of repeats the most severe is kept (prod sets raise some).
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const unique = new Map<string, Finding>();
  for (const finding of findings) {
    const key = [finding.rule, finding.file, finding.line, finding.col, finding.message].join(
      "\u0000",
    );
    const known = unique.get(key);
    if (
      !known ||
      (atLeast(finding.severity, known.severity) && finding.severity !== known.severity)
    ) {
      unique.set(key, finding);
    }
  }
  return [...unique.values()].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.col - b.col ||
      a.rule.localeCompare(b.rule),
  );
}
