/**
 * build.yml: multi-arch images on Docker Build Cloud through bake. Pull
 * requests build without pushing; pushes to main push commit-SHA tags.
 */

import { gh } from "../../expressions.ts";
import type { GeneratedFile, StackModel } from "../../model.ts";
import { yamlFile } from "../../serialize.ts";
import { inOut, type Layout } from "../layout.ts";
import { ACTIONS } from "./actions.ts";

const ON_MAIN = "github.event_name == 'push' && github.ref == 'refs/heads/main'";

function lockSteps(model: StackModel): unknown[] {
  if (model.pythonServers.length === 0) return [];
  const run = model.pythonServers.map((server) => `(cd ${server.path} && uv lock)`).join("\n");
  return [{ uses: ACTIONS.setupUv }, { name: "Lock Python servers", run }];
}

export function buildWorkflow(model: StackModel, layout: Layout): GeneratedFile {
  const steps = [
    { uses: ACTIONS.checkout },
    ...lockSteps(model),
    {
      name: "Log in to the image registry",
      if: ON_MAIN,
      uses: ACTIONS.login,
      with: {
        registry: model.registry,
        username: gh("github.actor"),
        password: gh("secrets.GITHUB_TOKEN"),
      },
    },
    {
      // Docker Build Cloud authenticates with a Docker account.
      name: "Log in to Docker (Build Cloud)",
      uses: ACTIONS.login,
      with: { username: gh("vars.DOCKER_USER"), password: gh("secrets.DOCKER_PAT") },
    },
    {
      uses: ACTIONS.setupBuildx,
      with: { driver: "cloud", endpoint: model.buildCloud.endpoint, install: true },
    },
    {
      uses: ACTIONS.bake,
      env: {
        TAG: gh("github.sha"),
        SOURCE_URL: `${gh("github.server_url")}/${gh("github.repository")}`,
      },
      with: {
        source: ".",
        files: inOut(layout, "docker-bake.json"),
        targets: "release",
        push: gh(ON_MAIN),
      },
    },
  ];
  const workflow = {
    name: "build",
    on: { push: { branches: ["main"] }, pull_request: {}, workflow_dispatch: {} },
    permissions: { contents: "read", packages: "write" },
    concurrency: { group: `build-${gh("github.ref")}`, "cancel-in-progress": true },
    jobs: { build: { "runs-on": "ubuntu-latest", "timeout-minutes": 60, steps } },
  };
  return {
    path: ".github/workflows/build.yml",
    content: yamlFile(model.source, workflow),
    env: "prod",
  };
}
