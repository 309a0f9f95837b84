/**
 * `sophia lint`: Dockerfile and Compose checks with stable rule ids, and the
 * Compose merge (used by the stack generator's tests as well).
 */
export { RULES, ruleInfo } from "./catalog.ts";
export { type ComposeDocument, mergeCompose, mergeComposeFiles } from "./compose-merge.ts";
export { OverrideValue, ResetValue } from "./compose-tags.ts";
export { composeSets, kindOf, namesProd } from "./file-kinds.ts";
export { formatJson } from "./format/json.ts";
export { formatSarif } from "./format/sarif.ts";
export { formatText } from "./format/text.ts";
export { type LintOptions, type LintResult, lintFiles } from "./lint-files.ts";
export {
  lintComposeTexts,
  lintDockerfileText,
  type SourceText,
  sortFindings,
} from "./lint-text.ts";
export { atLeast, type Finding, type Location, type RuleInfo, type Severity } from "./types.ts";
