/** Lints one Dockerfile's text: every SDF rule, findings in file order. */
import type { Finding } from "../types.ts";
import { createContext, type DockerfileContext } from "./context.ts";
import {
  copyNotAdd,
  execForm,
  noMaintainer,
  noSecretsInArgEnv,
  workdirAbsolute,
} from "./rules-instructions.ts";
import { aptGetHygiene, noSudo, pinnedPackages, pipefail } from "./rules-run.ts";
import {
  baseImagePinned,
  copyFromKnown,
  finalUserNotRoot,
  healthcheckInProd,
} from "./rules-stages.ts";

const RULES: readonly ((context: DockerfileContext) => void)[] = [
  finalUserNotRoot,
  baseImagePinned,
  copyNotAdd,
  execForm,
  aptGetHygiene,
  pipefail,
  noSecretsInArgEnv,
  healthcheckInProd,
  copyFromKnown,
  workdirAbsolute,
  noSudo,
  pinnedPackages,
  noMaintainer,
];

export interface DockerfileOptions {
  /** Production image: HEALTHCHECK required. */
  prod: boolean;
}

export function lintDockerfile(text: string, file: string, options: DockerfileOptions): Finding[] {
  const findings: Finding[] = [];
  const context = createContext(text, file, options.prod, findings);
  for (const rule of RULES) rule(context);
  return findings.sort((a, b) => a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule));
}
