/** Lints one merged Compose model: every SDC rule, findings by file and line. */
import type { ComposeDocument } from "../compose-merge.ts";
import type { SourceMap } from "../source-map.ts";
import type { Finding } from "../types.ts";
import { type ComposeContext, createComposeContext } from "./context.ts";
import { noSecretsInEnvironment, pinnedImages, serviceHealthchecks } from "./rules-content.ts";
import { noNewPrivileges, readOnlyRoot, resourceLimits } from "./rules-hardening.ts";
import { capabilities, dockerSocket, hostNamespaces } from "./rules-host.ts";
import { boundPorts, healthyDependencies } from "./rules-network.ts";

const RULES: readonly ((context: ComposeContext) => void)[] = [
  hostNamespaces,
  dockerSocket,
  capabilities,
  readOnlyRoot,
  noNewPrivileges,
  resourceLimits,
  boundPorts,
  healthyDependencies,
  noSecretsInEnvironment,
  pinnedImages,
  serviceHealthchecks,
];

export function lintComposeModel(
  model: ComposeDocument,
  map: SourceMap,
  options: { prod: boolean },
): Finding[] {
  const findings: Finding[] = [];
  const context = createComposeContext(model, map, options.prod, findings);
  for (const rule of RULES) rule(context);
  return findings;
}
