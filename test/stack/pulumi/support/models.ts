/** Stack models for the Pulumi tests: everything on, and the smallest stack. */
import type { StackModel } from "../../../../src/stack/model.ts";

export function fullModel(): StackModel {
  return {
    name: "acme",
    source: "sophia.yaml",
    image: "ghcr.io/acme/acme",
    registry: "ghcr.io",
    nodeImage: "24.21.0-trixie-slim",
    pythonImage: "3.13.9-slim-trixie",
    gateway: { port: 8080, replicas: 2 },
    flow: { enabled: true, replicas: 1 },
    services: { postgres: true, redis: true, nats: true },
    n8n: { enabled: true, workers: 2, image: "docker.n8n.io/n8nio/n8n:1.122.3" },
    domain: "mcp.acme.example",
    acmeEmail: "ops@acme.example",
    pythonServers: [{ name: "weather", path: "servers/weather", port: 8000 }],
    kubernetes: { namespace: "acme", minReplicas: 2, maxReplicas: 8 },
    pulumi: { project: "acme", stack: "prod", escEnvironment: "acme/prod" },
    buildCloud: { endpoint: "acme/builder" },
    platforms: ["linux/amd64", "linux/arm64"],
    secrets: [
      "n8n_encryption_key",
      "n8n_runners_auth_token",
      "openai_api_key",
      "postgres_password",
      "redis_password",
    ],
  };
}

/** Gateway and Redis only: no flow, no n8n, no Python servers. */
export function minimalModel(): StackModel {
  const model = fullModel();
  return {
    ...model,
    name: "tiny",
    flow: { enabled: false, replicas: 1 },
    services: { postgres: false, redis: true, nats: false },
    n8n: { ...model.n8n, enabled: false },
    pythonServers: [],
    kubernetes: { namespace: "tiny", minReplicas: 2, maxReplicas: 4 },
    pulumi: { project: "tiny", stack: "dev", escEnvironment: "tiny/dev" },
    secrets: ["redis_password"],
  };
}
