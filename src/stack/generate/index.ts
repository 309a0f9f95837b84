/**
 * Every generated file for one model, sorted by path. Pure: the same model
 * and options always give the same files with the same bytes.
 */
import type { Environment, GeneratedFile, StackModel } from "../model.ts";
import { agentFiles } from "./agents.ts";
import { bakeFile } from "./bake.ts";
import { composeFiles } from "./compose.ts";
import { dockerfileDev, dockerfileProd, dockerignore, entrypointScript } from "./dockerfiles.ts";
import { inOut, type Layout, layoutFor } from "./layout.ts";
import { grafanaDashboard } from "./observability/grafana.ts";
import { otelCollectorFile } from "./observability/otel.ts";
import { prometheusFile } from "./observability/prometheus.ts";
import { traefikFiles } from "./traefik.ts";
import { buildWorkflow } from "./workflows/build.ts";
import { dependabotFile } from "./workflows/dependabot.ts";
import { pulumiWorkflow } from "./workflows/pulumi.ts";
import { scanWorkflow } from "./workflows/scan.ts";
import { testWorkflow } from "./workflows/test.ts";

export type Renderer = (model: StackModel) => GeneratedFile[];

export interface GenerateOptions {
  /** Output folder relative to the project root; default "deploy". */
  out?: string;
  /** Only files for this environment (and those for every environment); default: all. */
  env?: Environment;
  /**
   * Renderers of the deploy folder (the Pulumi program). Their paths are
   * relative to the output folder, or start with "deploy/", which is replaced
   * by the chosen output folder. Their files count as prod.
   */
  extra?: readonly Renderer[];
}

export function generateStack(model: StackModel, options: GenerateOptions = {}): GeneratedFile[] {
  const layout = layoutFor(options.out ?? "deploy");
  const files = [
    ...ownFiles(model, layout),
    ...(options.extra ?? []).flatMap((render) => placed(render(model), layout)),
  ];
  checkUnique(files);
  return files
    .filter(
      (file) => options.env === undefined || file.env === undefined || file.env === options.env,
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function ownFiles(model: StackModel, layout: Layout): GeneratedFile[] {
  return [
    dockerfileDev(model, layout),
    dockerfileProd(model, layout),
    entrypointScript(model, layout),
    dockerignore(model, layout),
    ...composeFiles(model, layout),
    ...traefikFiles(model, layout, "dev"),
    ...traefikFiles(model, layout, "prod"),
    bakeFile(model, layout),
    testWorkflow(model),
    buildWorkflow(model, layout),
    scanWorkflow(model, layout),
    pulumiWorkflow(model, layout),
    dependabotFile(model, layout),
    prometheusFile(model, layout),
    grafanaDashboard(model, layout),
    otelCollectorFile(model, layout),
    ...agentFiles(model, layout),
  ];
}

function placed(files: GeneratedFile[], layout: Layout): GeneratedFile[] {
  return files.map((file) => ({
    ...file,
    path: inOut(layout, file.path.replace(/^deploy\//, "")),
    env: file.env ?? "prod",
  }));
}

function checkUnique(files: GeneratedFile[]): void {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`two generators write ${file.path}`);
    seen.add(file.path);
  }
}
