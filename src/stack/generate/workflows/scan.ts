/**
 * scan.yml: builds the production image locally on the runner and fails on
 * any CRITICAL vulnerability that has a fix. Weekly as well, because new
 * findings appear without code changes.
 */
import type { GeneratedFile, StackModel } from "../../model.ts";
import { yamlFile } from "../../serialize.ts";
import { inOut, type Layout } from "../layout.ts";
import { ACTIONS } from "./actions.ts";

export function scanWorkflow(model: StackModel, layout: Layout): GeneratedFile {
  const image = `${model.image}:scan`;
  const steps = [
    { uses: ACTIONS.checkout },
    { uses: ACTIONS.setupBuildx },
    {
      uses: ACTIONS.bake,
      env: { TAG: "scan" },
      with: {
        source: ".",
        files: inOut(layout, "docker-bake.json"),
        targets: "prod",
        load: true,
        set: "prod.platform=linux/amd64\nprod.cache-to=\nprod.cache-from=",
      },
    },
    {
      uses: ACTIONS.trivy,
      with: {
        "image-ref": image,
        severity: "CRITICAL",
        "exit-code": "1",
        "ignore-unfixed": true,
        format: "table",
      },
    },
  ];
  const workflow = {
    name: "scan",
    on: {
      push: { branches: ["main"] },
      pull_request: {},
      schedule: [{ cron: "0 6 * * 1" }],
    },
    permissions: { contents: "read" },
    jobs: { scan: { "runs-on": "ubuntu-latest", "timeout-minutes": 30, steps } },
  };
  return {
    path: ".github/workflows/scan.yml",
    content: yamlFile(model.source, workflow),
    env: "prod",
  };
}
