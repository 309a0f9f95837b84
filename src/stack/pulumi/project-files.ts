/** Pulumi.yaml, Pulumi.<stack>.yaml, package.json and tsconfig.json of the generated program. */
import { headerText } from "../header.ts";
import type { StackModel } from "../model.ts";
import { jsonFile } from "../serialize.ts";

/**
 * Exact versions, so every checkout deploys with the same SDK. They match this
 * repository's devDependencies (a test keeps them in step).
 */
export const VERSIONS = {
  pulumi: "3.248.0",
  kubernetes: "4.34.2",
  policy: "1.21.0",
  typescript: "5.9.3",
  typesNode: "24.19.4",
} as const;

/** Node runs the TypeScript itself (type stripping, Node >= 22.18), so Pulumi's ts-node is off. */
export const NODE_ENGINE = ">=22.18.0";

function q(value: string): string {
  return JSON.stringify(value);
}

export function pulumiYaml(model: StackModel): string {
  return [
    `# ${headerText(model.source)}`,
    `name: ${q(model.pulumi.project)}`,
    `description: ${q(`Sophia stack "${model.name}" on Kubernetes`)}`,
    "runtime:",
    "  name: nodejs",
    "  options:",
    "    # Node.js strips the types itself (erasable TypeScript only), the same way the tests run it.",
    "    typescript: false",
    "    packagemanager: npm",
    "",
  ].join("\n");
}

export function stackYaml(model: StackModel): string {
  const p = model.pulumi.project;
  return [
    `# ${headerText(model.source)}`,
    "# Secrets come from the Pulumi ESC environment below (see deploy/esc/). The image tag is set by CI:",
    "#   pulumi config set imageTag <git commit>",
    "environment:",
    `  - ${q(model.pulumi.escEnvironment)}`,
    "config:",
    `  ${p}:namespace: ${q(model.kubernetes.namespace)}`,
    "  # true: PostgreSQL, Redis and NATS are managed services; set postgresHost, redisHost, natsUrl.",
    `  ${p}:useManagedServices: false`,
    `  ${p}:ingressNamespace: "ingress-nginx"`,
    `  ${p}:ingressClassName: "nginx"`,
    "  # A cert-manager ClusterIssuer for TLS on the public hosts; empty: no TLS block.",
    `  ${p}:clusterIssuer: ""`,
    "",
  ].join("\n");
}

export function packageJson(
  model: StackModel,
  name: string,
  extra: Record<string, unknown>,
): string {
  return jsonFile({
    "//": headerText(model.source),
    name,
    version: "0.1.0",
    private: true,
    ...extra,
  });
}

export function programPackageJson(model: StackModel): string {
  return packageJson(model, `${model.pulumi.project}-kubernetes`, {
    type: "module",
    main: "index.ts",
    engines: { node: NODE_ENGINE },
    scripts: { typecheck: "tsc --noEmit -p ." },
    dependencies: {
      "@pulumi/kubernetes": VERSIONS.kubernetes,
      "@pulumi/pulumi": VERSIONS.pulumi,
    },
    devDependencies: { "@types/node": VERSIONS.typesNode, typescript: VERSIONS.typescript },
  });
}

/** tsconfig.json accepts comments, so it carries the header as one. */
export function tsconfigJson(model: StackModel, options: Record<string, unknown>): string {
  const body = jsonFile({
    compilerOptions: {
      target: "es2022",
      strict: true,
      skipLibCheck: true,
      types: [],
      ...options,
    },
    include: ["*.ts"],
  });
  return `// ${headerText(model.source)}\n${body}`;
}

export function programTsconfig(model: StackModel): string {
  return tsconfigJson(model, {
    module: "nodenext",
    moduleResolution: "nodenext",
    // Node runs the files as they are; tsc only checks them.
    noEmit: true,
    types: ["node"],
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    erasableSyntaxOnly: true,
  });
}
