/**
 * compose.prod.yaml: pushed images at an explicit tag, every gateway replica,
 * TLS through Let's Encrypt, and Traefik as the only service with ports.
 */

import { variable } from "../expressions.ts";
import type { StackModel } from "../model.ts";
import { pythonImage } from "./compose-app.ts";
import { traefikConfigs } from "./traefik.ts";

const TAG = variable(
  "SOPHIA_TAG:?set SOPHIA_TAG to the image tag to deploy (the build workflow tags images with the commit SHA)",
);

export function composeProd(model: StackModel): Record<string, unknown> {
  const services: Record<string, unknown> = {
    traefik: {
      ports: ["0.0.0.0:80:8000", "0.0.0.0:443:8443"],
      volumes: ["letsencrypt:/letsencrypt"],
      configs: traefikConfigs(),
    },
    gateway: { image: `${model.image}:${TAG}`, deploy: { replicas: model.gateway.replicas } },
  };
  if (model.flow.enabled) services.flow = { image: `${model.image}:${TAG}` };
  for (const server of model.pythonServers) {
    services[server.name] = { image: `${pythonImage(model, server)}:${TAG}` };
  }
  if (model.n8n.enabled) {
    services.n8n = {
      environment: { N8N_PROTOCOL: "https", WEBHOOK_URL: `https://n8n.${model.domain}/` },
    };
  }
  return {
    name: model.name,
    services,
    volumes: { letsencrypt: {} },
    configs: {
      traefik_static: { file: "./traefik/traefik.prod.yml" },
      traefik_dynamic: { file: "./traefik/dynamic.prod.yml" },
    },
  };
}
