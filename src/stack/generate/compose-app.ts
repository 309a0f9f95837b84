/** Compose services running Sophia itself (gateway, flow) and the Python MCP servers. */

import { variable } from "../expressions.ts";
import type { PythonServer, StackModel } from "../model.ts";
import {
  dependsOnHealthy,
  hardened,
  healthcheck,
  type Service,
  secretEnv,
} from "./compose-common.ts";
import { nodeHealthProbe } from "./dockerfiles.ts";
import { appSecrets } from "./layout.ts";

export const FLOW_METRICS_PORT = 9464;

export function gatewayCommand(watch: boolean): string[] {
  return ["node", ...(watch ? ["--watch"] : []), "src/cli/main.ts", "gateway", "--host", "0.0.0.0"];
}

export function flowCommand(watch: boolean): string[] {
  // Metrics on every interface of the container so Prometheus on the internal network can scrape them.
  const metrics = ["--metrics-port", String(FLOW_METRICS_PORT), "--metrics-host", "0.0.0.0"];
  const run = ["src/cli/main.ts", "flow", "run", ...metrics];
  return ["node", ...(watch ? ["--watch"] : []), ...run];
}

/** The image Compose runs by default: `local` (built by compose.dev.yaml) unless SOPHIA_TAG names a pushed tag. */
export function appImage(model: StackModel): string {
  return `${model.image}:${variable("SOPHIA_TAG:-local")}`;
}

/** Image, configuration and secrets shared by the gateway and flow services. */
function appIdentity(model: StackModel): Service {
  const secrets = secretEnv(appSecrets(model));
  return {
    image: appImage(model),
    environment: { NODE_ENV: "production", ...secrets.environment },
    ...(secrets.secrets.length > 0 ? { secrets: secrets.secrets } : {}),
    configs: [{ source: "sophia_config", target: "/app/sophia.yaml" }],
  };
}

function withReplicas(service: Service, replicas: number): Service {
  return { ...service, deploy: { ...(service.deploy as object), replicas } };
}

export function gatewayService(model: StackModel): Service {
  const waitFor = [
    ...model.pythonServers.map((server) => server.name),
    ...(model.services.postgres ? ["postgres"] : []),
  ];
  const service = {
    ...appIdentity(model),
    command: gatewayCommand(false),
    networks: ["internal", "egress", ...(model.services.postgres ? ["data"] : [])],
    ...(waitFor.length > 0 ? { depends_on: dependsOnHealthy(waitFor) } : {}),
    healthcheck: healthcheck(["CMD", ...nodeHealthProbe(model.gateway.port)]),
    ...hardened({ memory: "512m", pids: 256 }, { tmpfs: ["/tmp"] }),
  };
  return withReplicas(service, model.gateway.replicas);
}

export function flowService(model: StackModel): Service {
  const waitFor = ["postgres", ...(model.services.nats ? ["nats"] : [])];
  const service = {
    ...appIdentity(model),
    command: flowCommand(false),
    networks: ["internal", "data", "egress"],
    depends_on: dependsOnHealthy(waitFor),
    healthcheck: healthcheck(["CMD", ...nodeHealthProbe(FLOW_METRICS_PORT, "/metrics")]),
    ...hardened({ memory: "512m", pids: 256 }, { tmpfs: ["/tmp"] }),
  };
  return withReplicas(service, model.flow.replicas);
}

export function pythonImage(model: StackModel, server: PythonServer): string {
  return `${model.image}-${server.name}`;
}

export function pythonService(model: StackModel, server: PythonServer): Service {
  const probe = `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${server.port}/healthz', timeout=3)`;
  return {
    image: `${pythonImage(model, server)}:${variable("SOPHIA_TAG:-local")}`,
    environment: { PORT: String(server.port) },
    networks: ["internal"],
    healthcheck: healthcheck(["CMD", "python", "-c", probe]),
    ...hardened({ memory: "256m", pids: 128 }, { tmpfs: ["/tmp"] }),
  };
}
