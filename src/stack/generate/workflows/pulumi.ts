/**
 * pulumi.yml: `pulumi preview` on pull requests, `pulumi up` once the build
 * workflow has pushed main's images (so a deploy never names an image that
 * does not exist yet), deploying exactly the commit that was built. The
 * Pulumi access token is the only repository secret; everything else
 * (kubeconfig, database URLs, keys) comes from the Pulumi ESC environment.
 * The generated program has no lock file, hence `npm install`, not `npm ci`.
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
  const built = gh("github.event.workflow_run.head_sha");
  return {
    if: condition,
    "runs-on": "ubuntu-latest",
    "timeout-minutes": 30,
    ...(command === "up" ? { environment: "production" } : {}),
    steps: [
      command === "up"
        ? { uses: ACTIONS.checkout, with: { ref: built } }
        : { uses: ACTIONS.checkout },
      { uses: ACTIONS.setupNode, with: { "node-version": nodeMajor(model.nodeImage) } },
      { run: "npm install --no-audit --no-fund", "working-directory": workDir },
      {
        name: "Secrets from Pulumi ESC",
        uses: ACTIONS.escAction,
        env: token,
        with: { environment: model.pulumi.escEnvironment },
      },
      {
        uses: ACTIONS.pulumi,
        env: command === "up" ? { ...token, SOPHIA_IMAGE_TAG: built } : token,
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
    on: {
      pull_request: { paths },
      workflow_run: { workflows: ["build"], types: ["completed"], branches: ["main"] },
    },
    permissions: { contents: "read", "pull-requests": "write" },
    concurrency: { group: `pulumi-${gh("github.ref")}`, "cancel-in-progress": false },
    jobs: {
      preview: job(model, layout, "preview", "github.event_name == 'pull_request'"),
      up: job(
        model,
        layout,
        "up",
        "github.event_name == 'workflow_run' && github.event.workflow_run.conclusion == 'success'",
      ),
    },
  };
  return {
    path: ".github/workflows/pulumi.yml",
    content: yamlFile(model.source, workflow),
    env: "prod",
  };
}
