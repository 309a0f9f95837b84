/**
 * compose.dev.yaml: builds Dockerfile.dev, bind-mounts src/ read-only and
 * restarts on change (node --watch), one gateway replica, every port bound
 * to 127.0.0.1 only. The internal networks become ordinary bridges here,
 * because Docker publishes no ports of a container on internal networks only.
 */
import type { StackModel } from "../model.ts";
import { flowCommand, gatewayCommand } from "./compose-app.ts";
import { fromOut, inOut, type Layout } from "./layout.ts";
import { hostFor, traefikConfigs } from "./traefik.ts";

function devApp(model: StackModel, layout: Layout, command: string[]): Record<string, unknown> {
  return {
    image: `${model.image}:local`,
    build: { context: fromOut(layout, "."), dockerfile: inOut(layout, "Dockerfile.dev") },
    pull_policy: "build",
    command,
    environment: { NODE_ENV: "development" },
    volumes: [
      { type: "bind", source: fromOut(layout, "src"), target: "/app/src", read_only: true },
    ],
  };
}

function localPort(port: number, target = port): string[] {
  return [`127.0.0.1:${port}:${target}`];
}

export function composeDev(model: StackModel, layout: Layout): Record<string, unknown> {
  const services: Record<string, unknown> = {
    traefik: { ports: localPort(80, 8000), configs: traefikConfigs() },
    gateway: {
      ...devApp(model, layout, gatewayCommand(true)),
      ports: localPort(model.gateway.port),
      deploy: { replicas: 1 },
    },
  };
  if (model.flow.enabled) services.flow = devApp(model, layout, flowCommand(true));
  for (const server of model.pythonServers) {
    services[server.name] = {
      build: { context: fromOut(layout, server.path) },
      pull_policy: "build",
    };
  }
  if (model.services.postgres) services.postgres = { ports: localPort(5432) };
  if (model.services.redis) services.redis = { ports: localPort(6379) };
  if (model.services.nats) services.nats = { ports: localPort(4222) };
  if (model.n8n.enabled) {
    services.n8n = {
      environment: {
        N8N_HOST: `n8n.${hostFor(model, "dev")}`,
        N8N_PROTOCOL: "http",
        WEBHOOK_URL: `http://n8n.${hostFor(model, "dev")}/`,
      },
    };
  }
  return {
    name: model.name,
    services,
    networks: { internal: { internal: false }, data: { internal: false } },
    configs: {
      traefik_static: { file: "./traefik/traefik.dev.yml" },
      traefik_dynamic: { file: "./traefik/dynamic.dev.yml" },
    },
  };
}
