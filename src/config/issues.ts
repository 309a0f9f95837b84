/**
 * Problems found in a configuration file, collected rather than thrown one by
 * one, and worded as "<path>: expected X, found Y". Values are only echoed for
 * keys that never hold secrets and were not filled in from the environment.
 */
import type { z } from "zod";
import { type ConfigPath, formatPath } from "./path.ts";
import { closestKey } from "./suggest.ts";

export interface ConfigIssue {
  path: ConfigPath;
  message: string;
  /** 1-based position in the file, when the path could be found in it. */
  line?: number;
  column?: number;
}

/** Keys whose values are settings, not credentials: safe to quote back. */
const ECHO_SAFE = new Set([
  "builtin",
  "connectTimeout",
  "connections",
  "disabled",
  "drain",
  "enabled",
  "host",
  "level",
  "listen",
  "maxBodySize",
  "maxConcurrency",
  "pool",
  "port",
  "prefix",
  "separator",
  "sessionIdle",
  "timeout",
  "transport",
  "type",
]);

const NOUNS: Record<string, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  object: "a mapping",
  record: "a mapping",
  array: "a list",
};

export class IssueList {
  readonly items: ConfigIssue[] = [];
  readonly #substituted: ReadonlySet<string>;

  /** `substituted`: paths (JSON-encoded) whose strings came from the environment. */
  constructor(substituted: ReadonlySet<string> = new Set()) {
    this.#substituted = substituted;
  }

  add(path: ConfigPath, message: string): void {
    this.items.push({ path, message });
  }

  /** "expected …, found <what>" with the value hidden where it could be a secret. */
  expected(path: ConfigPath, expected: string, found: unknown): void {
    this.add(path, `${expected}, found ${this.describe(found, path)}`);
  }

  unknownKey(path: ConfigPath, known: readonly string[]): void {
    const key = String(path.at(-1));
    const near = closestKey(key, known);
    const help = near === undefined ? `known keys: ${known.join(", ")}` : `did you mean "${near}"?`;
    this.add(path, `unknown key; ${help}`);
  }

  /** Adds one issue per zod issue, `base` being where the parsed value sits. */
  fromZod(error: z.ZodError, base: ConfigPath, known: readonly string[]): void {
    for (const issue of error.issues) {
      const path = [...base, ...(issue.path as (string | number)[])];
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) this.unknownKey([...path, key], known);
      } else if (issue.code === "invalid_type" && issue.input === undefined) {
        this.add(path, `missing: expected ${NOUNS[issue.expected] ?? issue.expected}`);
      } else if (issue.code === "invalid_type") {
        this.expected(path, `expected ${NOUNS[issue.expected] ?? issue.expected}`, issue.input);
      } else if (issue.code === "custom" && "input" in issue) {
        this.expected(path, issue.message, issue.input);
      } else {
        this.add(path, issue.message);
      }
    }
  }

  describe(value: unknown, path: ConfigPath): string {
    if (value === undefined) return "nothing";
    if (value === null) return "null (an empty value)";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a mapping";
    if (typeof value === "string" && value === "") return "an empty string";
    if (!this.#echoable(path))
      return typeof value === "boolean" ? "a boolean" : `a ${typeof value}`;
    if (typeof value !== "string") return String(value);
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }

  #echoable(path: ConfigPath): boolean {
    if (this.#substituted.has(JSON.stringify(path))) return false;
    const last = path.at(-1);
    if (typeof last === "number") return path.at(-2) === "allowedOrigins";
    return last !== undefined && ECHO_SAFE.has(last);
  }
}

export function renderIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  const path = issue.path.length === 0 ? "" : `${formatPath(issue.path)}: `;
  return `${where}: ${path}${issue.message}`;
}
