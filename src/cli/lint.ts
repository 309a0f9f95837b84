/** `sophia lint`: checks Dockerfiles and (merged) Compose files; see docs/lint.md. */
import { parseArgs } from "node:util";
import { GATEWAY_VERSION } from "../gateway/index.ts";
import { isSophiaError } from "../shared/errors.ts";
import {
  atLeast,
  formatJson,
  formatSarif,
  formatText,
  lintFiles,
  type Severity,
} from "../stack/lint/index.ts";
import { EXIT } from "./exit-codes.ts";
import type { Io } from "./io.ts";

export const LINT_HELP = `sophia lint — check Dockerfiles and Compose files

Usage: sophia lint [PATH…] [-f FILE…] [--format text|json|sarif]
                   [--severity error|warning|info] [--env dev|prod]

PATH is a Dockerfile (Dockerfile, Dockerfile.*, *.Dockerfile), a Compose file
(compose*.yaml, docker-compose*.yml) or a folder, searched without
node_modules and .git. Default: the current folder. Compose files are merged
before checking, as docker compose does: compose.yaml + compose.override.yaml,
or compose.yaml + compose.<env>.yaml with --env.

Options:
  -f, --file FILE      Merge these Compose files in order (repeat: -f a -f b)
      --format FORMAT  text (default), json, or sarif (SARIF 2.1.0)
      --severity LEVEL Report and fail on findings at or above LEVEL (default warning)
      --env ENV        Merge compose.<ENV>.yaml; prod also requires health checks
  -h, --help           Show this help

Silence a finding with "# sophia-lint-ignore SDF001" on its line or the line above.
Exit codes: 0 no findings at or above the level, 1 findings, 2 usage error,
3 a file cannot be read or is not valid YAML. Rules: docs/lint.md.`;

const FORMATS = ["text", "json", "sarif"] as const;
const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

function usage(io: Io, message: string): number {
  io.err(`sophia lint: ${message}\n\n${LINT_HELP}\n`);
  return EXIT.usage;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      file: { type: "string", short: "f", multiple: true },
      format: { type: "string", default: "text" },
      severity: { type: "string", default: "warning" },
      env: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

export async function lintCommand(args: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(LINT_HELP);
    return EXIT.ok;
  }
  const format = FORMATS.find((f) => f === values.format);
  if (!format) return usage(io, `--format must be text, json or sarif, not "${values.format}"`);
  const threshold = SEVERITIES.find((s) => s === values.severity);
  if (!threshold)
    return usage(io, `--severity must be error, warning or info, not "${values.severity}"`);
  if (values.env !== undefined && !/^[A-Za-z0-9_-]+$/.test(values.env)) {
    return usage(io, `--env must be a name such as dev or prod, not "${values.env}"`);
  }
  try {
    const result = await lintFiles({
      paths: positionals,
      composeFiles: values.file ?? [],
      env: values.env,
      cwd: io.cwd,
    });
    const findings = result.findings.filter((f) => atLeast(f.severity, threshold));
    if (format === "json") io.out(formatJson(findings, result.files));
    else if (format === "sarif") io.out(formatSarif(findings, GATEWAY_VERSION));
    else for (const line of formatText(findings, result.files)) io.out(line);
    return findings.length > 0 ? EXIT.failure : EXIT.ok;
  } catch (error) {
    if (!isSophiaError(error, "LINT_INPUT_INVALID")) throw error;
    io.err(`sophia lint: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`);
    return EXIT.config;
  }
}
