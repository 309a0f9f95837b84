/**
 * docker-bake.json: `docker buildx bake -f <out>/docker-bake.json dev|release`,
 * run from the project root (bake resolves contexts from the working
 * directory, not from the file), builds the same images locally and in CI.
 * The HCL JSON syntax ignores a property named "//", which carries the header.
 */

import { variable } from "../expressions.ts";
import { headerText } from "../header.ts";
import type { GeneratedFile, StackModel } from "../model.ts";
import { jsonFile } from "../serialize.ts";
import { pythonImage } from "./compose-app.ts";
import { inOut, type Layout } from "./layout.ts";

function cache(image: string): { "cache-from": string[]; "cache-to": string[] } {
  return {
    "cache-from": [`type=registry,ref=${image}:buildcache`],
    "cache-to": [`type=registry,ref=${image}:buildcache,mode=max`],
  };
}

function targets(model: StackModel, layout: Layout): Record<string, unknown> {
  const context = ".";
  const all: Record<string, unknown> = {
    dev: {
      context,
      dockerfile: inOut(layout, "Dockerfile.dev"),
      tags: [`${model.image}:local`],
    },
    prod: {
      context,
      dockerfile: inOut(layout, "Dockerfile.prod"),
      tags: [`${model.image}:${variable("TAG")}`],
      platforms: model.platforms,
      ...cache(model.image),
      labels: { "org.opencontainers.image.source": variable("SOURCE_URL") },
    },
  };
  for (const server of model.pythonServers) {
    const image = pythonImage(model, server);
    all[`server-${server.name}`] = {
      context: server.path,
      dockerfile: "Dockerfile",
      tags: [`${image}:${variable("TAG")}`],
      platforms: model.platforms,
      ...cache(image),
    };
  }
  return all;
}

export function bakeFile(model: StackModel, layout: Layout): GeneratedFile {
  const all = targets(model, layout);
  const release = Object.keys(all).filter((name) => name !== "dev");
  const content = jsonFile({
    "//": headerText(model.source),
    variable: {
      TAG: { default: "local" },
      SOURCE_URL: { default: "" },
    },
    group: { default: { targets: ["dev"] }, release: { targets: release } },
    target: all,
  });
  return { path: inOut(layout, "docker-bake.json"), content };
}
