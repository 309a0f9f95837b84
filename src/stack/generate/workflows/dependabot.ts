/** dependabot.yml: weekly updates for npm, uv, GitHub Actions, Dockerfiles and Compose images. */
import type { GeneratedFile, StackModel } from "../../model.ts";
import { yamlFile } from "../../serialize.ts";
import { inOut, type Layout } from "../layout.ts";

function update(ecosystem: string, directories: string[]): unknown {
  return {
    "package-ecosystem": ecosystem,
    directories,
    schedule: { interval: "weekly" },
    "open-pull-requests-limit": 10,
  };
}

export function dependabotFile(model: StackModel, layout: Layout): GeneratedFile {
  const deployDir = `/${inOut(layout, "")}`.replace(/\/+$/, "") || "/";
  const servers = model.pythonServers.map((server) => `/${server.path}`);
  const updates = [
    update("npm", ["/"]),
    ...(servers.length > 0 ? [update("uv", servers)] : []),
    update("github-actions", ["/"]),
    update("docker", [deployDir, ...servers]),
    update("docker-compose", [deployDir]),
  ];
  return {
    path: ".github/dependabot.yml",
    content: yamlFile(model.source, { version: 2, updates }),
  };
}
