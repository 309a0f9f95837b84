/** deploy/esc/<project>-<env>.yaml: the Pulumi ESC environment, with placeholders instead of secrets. */
import { headerText } from "../header.ts";
import type { StackModel } from "../model.ts";
import { configKeyOf, stackSecrets } from "./secrets.ts";

/** `sophia/prod` → `deploy/esc/sophia-prod.yaml`. */
export function escPath(model: StackModel): string {
  return `deploy/esc/${model.pulumi.escEnvironment.replaceAll("/", "-")}.yaml`;
}

function placeholder(env: string, key: string, model: StackModel): string {
  const command = `esc env set ${model.pulumi.escEnvironment} secrets.${key} --secret`;
  return JSON.stringify(`REPLACE ME: the value of ${env}; set it with: ${command} '<value>'`);
}

export function escYaml(model: StackModel): string {
  const secrets = stackSecrets(model).map((env) => ({ env, key: configKeyOf(env) }));
  const lines = [
    `# ${headerText(model.source)}`,
    `# Pulumi ESC environment ${model.pulumi.escEnvironment}. Create it once and load this definition:`,
    `#   esc env init <org>/${model.pulumi.escEnvironment}`,
    `#   esc env edit <org>/${model.pulumi.escEnvironment} --file ${escPath(model)}`,
    "# then replace each placeholder below with its real value (the set command is in the placeholder).",
    "# No real secret belongs in this file or in git.",
    "values:",
    "  secrets:",
    ...secrets.flatMap(({ env, key }) => [
      `    ${key}:`,
      `      fn::secret: ${placeholder(env, key, model)}`,
    ]),
    "  # Read by the Pulumi program with config.requireSecret(<key>).",
    "  pulumiConfig:",
    ...secrets.map(({ key }) => `    ${key}: \${secrets.${key}}`),
    "  # For `esc run` around local commands (e.g. sophia up) with the same values.",
    "  environmentVariables:",
    ...secrets.map(({ env, key }) => `    ${env}: \${secrets.${key}}`),
    "",
  ];
  if (secrets.length === 0) {
    return lines
      .map((line) => (line === "  secrets:" ? "  secrets: {}" : line))
      .join("\n")
      .replace("  pulumiConfig:\n", "  pulumiConfig: {}\n")
      .replace("  environmentVariables:\n", "  environmentVariables: {}\n");
  }
  return lines.join("\n");
}
