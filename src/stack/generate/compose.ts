/**
 * compose.yaml (every environment) plus compose.dev.yaml and compose.prod.yaml,
 * used as `docker compose -f compose.yaml -f compose.<env>.yaml`. Overrides
 * only add or replace: the Compose merge rules put them together.
 *
 * Networks: `edge` is public and holds only Traefik; `internal` (app traffic)
 * and `data` (stores) are internal: true, so nothing there reaches or is
 * reached from outside; `egress` gives the services that call external APIs
 * (gateway upstreams, flow webhooks, n8n) a way out without publishing anything.
 */

import { headerComment } from "../header.ts";
import type { GeneratedFile, StackModel } from "../model.ts";
import { yamlFile } from "../serialize.ts";
import { flowService, gatewayService, pythonService } from "./compose-app.ts";
import { natsService, postgresInitSql, postgresService, redisService } from "./compose-data.ts";
import { composeDev } from "./compose-dev.ts";
import { n8nMainService, n8nRunnerService, n8nWorkerService, workerName } from "./compose-n8n.ts";
import { canonicalCompose } from "./compose-order.ts";
import { composeProd } from "./compose-prod.ts";
import { fromOut, inOut, type Layout } from "./layout.ts";
import { traefikService } from "./traefik.ts";

function services(model: StackModel): Record<string, unknown> {
  const all: Record<string, unknown> = {
    traefik: traefikService(),
    gateway: gatewayService(model),
  };
  if (model.flow.enabled) all.flow = flowService(model);
  for (const server of model.pythonServers) {
    all[server.name] = pythonService(model, server);
  }
  if (model.services.postgres) all.postgres = postgresService(model);
  if (model.services.redis) all.redis = redisService();
  if (model.services.nats) all.nats = natsService();
  if (model.n8n.enabled) {
    all.n8n = n8nMainService(model);
    for (let i = 1; i <= model.n8n.workers; i++) {
      all[workerName(i)] = n8nWorkerService(model);
      all[`n8n-runner-${i}`] = n8nRunnerService(model, i);
    }
  }
  return all;
}

function volumes(model: StackModel): Record<string, unknown> {
  const names = [
    ...(model.services.postgres ? ["postgres-data"] : []),
    ...(model.services.redis ? ["redis-data"] : []),
    ...(model.services.nats ? ["nats-data"] : []),
    ...(model.n8n.enabled ? ["n8n-data"] : []),
  ];
  return Object.fromEntries(names.map((name) => [name, {}]));
}

function composeBase(model: StackModel, layout: Layout): Record<string, unknown> {
  const configs: Record<string, unknown> = {
    sophia_config: { file: fromOut(layout, model.source) },
  };
  if (model.n8n.enabled) configs.postgres_init = { file: "./postgres/init.sql" };
  return {
    name: model.name,
    services: services(model),
    networks: {
      edge: {},
      internal: { internal: true },
      data: { internal: true },
      egress: {},
    },
    volumes: volumes(model),
    secrets: Object.fromEntries(model.secrets.map((name) => [name, { file: `./secrets/${name}` }])),
    configs,
  };
}

export function composeFiles(model: StackModel, layout: Layout): GeneratedFile[] {
  const files: GeneratedFile[] = [
    {
      path: inOut(layout, "compose.yaml"),
      content: yamlFile(model.source, canonicalCompose(composeBase(model, layout))),
    },
    {
      path: inOut(layout, "compose.dev.yaml"),
      content: yamlFile(model.source, canonicalCompose(composeDev(model, layout))),
      env: "dev",
    },
    {
      path: inOut(layout, "compose.prod.yaml"),
      content: yamlFile(model.source, canonicalCompose(composeProd(model))),
      env: "prod",
    },
    {
      // Secret values live next to the Compose files and never in git.
      path: inOut(layout, "secrets/.gitignore"),
      content: `${headerComment(model.source, "hash")}*\n!.gitignore\n`,
    },
  ];
  if (model.n8n.enabled) {
    files.push({
      path: inOut(layout, "postgres/init.sql"),
      content: `${headerComment(model.source, "dash")}${postgresInitSql()}`,
    });
  }
  return files;
}
