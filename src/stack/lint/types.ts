/** What the linter reports, and what it knows about each rule. */

export type Severity = "error" | "warning" | "info";

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** True when `severity` is at or above `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** A place in a file; line and col count from 1. `file` is as given (relative to the working folder). */
export interface Location {
  file: string;
  line: number;
  col: number;
}

export interface Finding extends Location {
  rule: string;
  severity: Severity;
  message: string;
  /** How to fix it. */
  hint: string;
}

export interface RuleInfo {
  /** Stable id: SDF… for Dockerfiles, SDC… for Compose. */
  id: string;
  severity: Severity;
  /** One line: what is wrong. */
  title: string;
  /** Why it matters. */
  why: string;
  /** How to fix it. */
  hint: string;
  /** The equivalent in other tools: hadolint ids, CIS Docker Benchmark recommendations. */
  references: string[];
}
