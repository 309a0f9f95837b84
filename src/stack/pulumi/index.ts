/**
 * The Kubernetes deployment as a Pulumi program (deploy/pulumi/), its Pulumi
 * ESC environment (deploy/esc/) and a CrossGuard policy pack. Pure: the same
 * model always gives the same bytes.
 */
import { headerText } from "../header.ts";
import type { GeneratedFile, StackModel } from "../model.ts";
import { escPath, escYaml } from "./esc.ts";
import { policyFiles } from "./policy/files.ts";
import { CONFIG_FILE_TS } from "./program/config-file-source.ts";
import { CONNECTIONS_TS } from "./program/connections-source.ts";
import { DATA_TS } from "./program/data-source.ts";
import { INDEX_TS, INGRESS_TS } from "./program/index-source.ts";
import { NETWORK_TS } from "./program/network-source.ts";
import { SECURITY_TS } from "./program/security-source.ts";
import { SETTINGS_TS } from "./program/settings-source.ts";
import { TYPES_TS } from "./program/types-source.ts";
import { WORKLOADS_TS } from "./program/workloads-source.ts";
import { programPackageJson, programTsconfig, pulumiYaml, stackYaml } from "./project-files.ts";
import { topologySource } from "./topology.ts";

const DIR = "deploy/pulumi";

/** The program's TypeScript files, by name. */
function programSources(model: StackModel): Record<string, string> {
  return {
    "index.ts": INDEX_TS,
    "types.ts": TYPES_TS,
    "topology.ts": topologySource(model),
    "settings.ts": SETTINGS_TS,
    "config-file.ts": CONFIG_FILE_TS,
    "connections.ts": CONNECTIONS_TS,
    "security.ts": SECURITY_TS,
    "workloads.ts": WORKLOADS_TS,
    "data.ts": DATA_TS,
    "network.ts": NETWORK_TS,
    "ingress.ts": INGRESS_TS,
  };
}

export function renderPulumi(model: StackModel): GeneratedFile[] {
  const header = `// ${headerText(model.source)}\n`;
  const files: GeneratedFile[] = [
    { path: `${DIR}/Pulumi.yaml`, content: pulumiYaml(model) },
    { path: `${DIR}/Pulumi.${model.pulumi.stack}.yaml`, content: stackYaml(model) },
    { path: `${DIR}/package.json`, content: programPackageJson(model) },
    { path: `${DIR}/tsconfig.json`, content: programTsconfig(model) },
    ...Object.entries(programSources(model)).map(([name, source]) => ({
      path: `${DIR}/${name}`,
      content: header + source,
    })),
    ...policyFiles(model),
    { path: escPath(model), content: escYaml(model) },
  ];
  return files
    .map((file) => ({ ...file, env: "prod" as const }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export { configKeyOf, stackSecrets } from "./secrets.ts";
export { type TopologyData, topologyOf, type WorkloadData } from "./topology.ts";
