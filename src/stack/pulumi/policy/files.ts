/** deploy/pulumi/policy/: the CrossGuard policy pack enforcing the pod hardening the program applies. */
import { headerText } from "../../header.ts";
import type { GeneratedFile, StackModel } from "../../model.ts";
import { packageJson, tsconfigJson, VERSIONS } from "../project-files.ts";
import { packSource } from "./pack-source.ts";

const DIR = "deploy/pulumi/policy";

export function policyPackName(model: StackModel): string {
  return `${model.pulumi.project}-kubernetes-hardening`;
}

function policyYaml(model: StackModel): string {
  return [
    `# ${headerText(model.source)}`,
    "# Run with: pulumi preview --policy-pack deploy/pulumi/policy (after npm install in this folder).",
    "runtime: nodejs",
    `description: ${JSON.stringify("Pod hardening for the Sophia stack: non-root, read-only root, no capabilities, limits, probes, pinned images")}`,
    "",
  ].join("\n");
}

export function policyFiles(model: StackModel): GeneratedFile[] {
  const name = policyPackName(model);
  return [
    { path: `${DIR}/PulumiPolicy.yaml`, content: policyYaml(model) },
    {
      path: `${DIR}/package.json`,
      content: packageJson(model, name, {
        main: "index.ts",
        dependencies: {
          "@pulumi/kubernetes": VERSIONS.kubernetes,
          "@pulumi/policy": VERSIONS.policy,
          "@pulumi/pulumi": VERSIONS.pulumi,
        },
        // The policy runner compiles the pack with ts-node; these pin the compiler it uses.
        devDependencies: { "ts-node": "10.9.2", typescript: VERSIONS.typescript },
      }),
    },
    // CommonJS for ts-node: no "type": "module" in package.json.
    { path: `${DIR}/tsconfig.json`, content: tsconfigJson(model, { module: "nodenext" }) },
    { path: `${DIR}/index.ts`, content: `// ${headerText(model.source)}\n${packSource(name)}` },
  ];
}
