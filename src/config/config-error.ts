import { SophiaError } from "../shared/errors.ts";
import { type ConfigIssue, renderIssue } from "./issues.ts";

type ConfigErrorCode = "CONFIG_INVALID" | "CONFIG_ENV_MISSING";

const HINTS: Record<ConfigErrorCode, string> = {
  CONFIG_INVALID: "Fix each listed entry; docs/configuration.md describes every key.",
  CONFIG_ENV_MISSING:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the configuration file's own syntax
    "Set the listed environment variables, or give a default in the file with ${NAME:-value}.",
};

/**
 * A configuration file that cannot be used, with every problem found in it.
 * `issues` lets `sophia lint` and hot reload show them without parsing the message.
 */
export class ConfigError extends SophiaError {
  readonly file: string;
  readonly issues: readonly ConfigIssue[];

  constructor(code: ConfigErrorCode, file: string, issues: readonly ConfigIssue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    const title =
      code === "CONFIG_ENV_MISSING"
        ? `${file}: environment variables are missing (${count}):`
        : `${file}: invalid configuration (${count}):`;
    const lines = issues.map((issue) => `  ${renderIssue(file, issue)}`);
    super(code, [title, ...lines].join("\n"), { hint: HINTS[code] });
    this.file = file;
    this.issues = issues;
  }
}
