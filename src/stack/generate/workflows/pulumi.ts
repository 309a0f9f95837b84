/**
 * pulumi.yml: `pulumi preview` on pull requests, `pulumi up` on main. The
 * Pulumi access token is the only repository secret; everything else
 * (kubeconfig, database URLs, keys) comes from the Pulumi ESC environment.
 */

import { gh } from "../../expressions.ts";
import type { GeneratedFile, StackModel } from "../../model.ts";
import { yamlFile } from "../../serialize.ts";
import { inOut, type Layout } from "../layout.ts";
import { ACTIONS, nodeMajor } from "./actions.ts";

function job(
  model: StackModel,
  layout: Layout,
  command: "preview" | "up",
  condition: string,
): unknown {
  const workDir = inOut(layout, "pulumi");
  const token = { PULUMI_ACCESS_TOKEN: gh("secrets.PULUMI_ACCESS_TOKEN") };
  return {
    if: condition,
    "runs-on": "ubuntu-latest",
    "timeout-minutes": 30,
    ...(command === "up" ? { environment: "production" } : {}),
    steps: [
      { uses: ACTIONS.checkout },
      { uses: ACTIONS.setupNode, with: { "node-version": nodeMajor(model.nodeImage) } },
      { run: "npm ci", "working-directory": workDir },
      {
        name: "Secrets from Pulumi ESC",
        uses: ACTIONS.escAction,
        env: token,
        with: { environment: model.pulumi.escEnvironment },
      },
      {
        uses: ACTIONS.pulumi,
        env: token,
        with: {
          command,
          "stack-name": model.pulumi.stack,
          "work-dir": workDir,
          ...(command === "preview" ? { "comment-on-pr": true } : {}),
        },
      },
    ],
  };
}

export function pulumiWorkflow(model: StackModel, layout: Layout): GeneratedFile {
  const paths = [`${inOut(layout, "pulumi")}/**`, `${inOut(layout, "esc")}/**`];
  const workflow = {
    name: "pulumi",
    on: { pull_request: { paths }, push: { branches: ["main"], paths } },
    permissions: { contents: "read", "pull-requests": "write" },
    concurrency: { group: `pulumi-${gh("github.ref")}`, "cancel-in-progress": false },
    jobs: {
      preview: job(model, layout, "preview", "github.event_name == 'pull_request'"),
      up: job(model, layout, "up", "github.event_name == 'push'"),
    },
  };
  return {
    path: ".github/workflows/pulumi.yml",
    content: yamlFile(model.source, workflow),
    env: "prod",
  };
}
