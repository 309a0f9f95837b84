/**
 * StackModel → the data the Pulumi program deploys (deploy/pulumi/topology.ts).
 * The program's code is the same for every project; only this data differs,
 * so the decisions live here, in pure and tested code.
 */
import { IMAGES } from "../images.ts";
import type { PythonServer, StackModel } from "../model.ts";
import { appSecrets, secretKeys } from "./secrets.ts";

type DataServiceName = "postgres" | "redis" | "nats";

interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** Mirrors `Workload` in the generated types.ts. */
export interface WorkloadData {
  name: string;
  image: string;
  tagFromConfig: boolean;
  args?: string[];
  port: number;
  replicas: number;
  autoscale?: { min: number; max: number };
  liveness: string;
  readiness: string;
  resources: Resources;
  runAsUser: number;
  env: Record<string, string>;
  secretEnv: string[];
  connects: DataServiceName[];
  calls: string[];
  host?: string;
  externalEgress: boolean;
  writable: string[];
  configPath?: string;
}

/** Mirrors `Topology` in the generated types.ts. */
export interface TopologyData {
  project: string;
  source: string;
  namespace: string;
  domain: string;
  dataServices: DataServiceName[];
  dataImages: { postgres: string; redis: string; nats: string };
  secrets: Record<string, string>;
  workloads: WorkloadData[];
}

/** The uid every Deployment runs as (the brief's numeric non-root user, also the Dockerfile's). */
export const RUN_AS_USER = 10001;
export const FLOW_PORT = 9464;
export const N8N_PORT = 5678;
/** Where the image expects sophia.yaml (its working directory is /app). */
export const CONFIG_PATH = "/app/sophia.yaml";

function sized(cpu: string, memory: string, cpuLimit: string, memoryLimit: string): Resources {
  return { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}

function used(model: StackModel, wanted: DataServiceName[]): DataServiceName[] {
  return wanted.filter((name) => model.services[name]);
}

function gateway(model: StackModel): WorkloadData {
  return {
    name: "gateway",
    image: model.image,
    tagFromConfig: true,
    args: ["node", "src/cli/main.ts", "gateway", "--host", "0.0.0.0"],
    port: model.gateway.port,
    replicas: model.gateway.replicas,
    autoscale: { min: model.kubernetes.minReplicas, max: model.kubernetes.maxReplicas },
    liveness: "/healthz",
    readiness: "/readyz",
    resources: sized("250m", "256Mi", "2", "1Gi"),
    runAsUser: RUN_AS_USER,
    env: { NODE_ENV: "production" },
    secretEnv: appSecrets(model),
    connects: used(model, ["redis"]),
    calls: model.pythonServers.map((s) => s.name),
    host: model.domain,
    // Upstream MCP servers outside the cluster.
    externalEgress: true,
    writable: [],
    configPath: CONFIG_PATH,
  };
}

function flow(model: StackModel): WorkloadData {
  return {
    name: "flow",
    image: model.image,
    tagFromConfig: true,
    args: [
      "node",
      "src/cli/main.ts",
      "flow",
      "run",
      "--metrics-port",
      String(FLOW_PORT),
      "--metrics-host",
      "0.0.0.0",
    ],
    port: FLOW_PORT,
    // One reader per replication slot: more replicas wait for the slot rather than share it.
    replicas: model.flow.replicas,
    // `sophia flow run` serves only /metrics; it answering is the health signal.
    liveness: "/metrics",
    readiness: "/metrics",
    resources: sized("250m", "256Mi", "2", "1Gi"),
    runAsUser: RUN_AS_USER,
    env: { NODE_ENV: "production" },
    secretEnv: appSecrets(model),
    connects: used(model, ["postgres", "nats"]),
    calls: model.n8n.enabled ? ["n8n"] : [],
    // Webhook sinks outside the cluster.
    externalEgress: true,
    writable: [],
    configPath: CONFIG_PATH,
  };
}

function n8n(model: StackModel, worker: boolean): WorkloadData {
  const host = `n8n.${model.domain}`;
  return {
    name: worker ? "n8n-worker" : "n8n",
    image: model.n8n.image,
    tagFromConfig: false,
    ...(worker ? { args: ["worker"] } : {}),
    port: N8N_PORT,
    // The main instance schedules and receives webhooks; queue mode scales the workers.
    replicas: worker ? model.n8n.workers : 1,
    ...(worker
      ? {
          autoscale: {
            min: model.n8n.workers,
            max: Math.max(model.n8n.workers, model.kubernetes.maxReplicas),
          },
        }
      : {}),
    liveness: "/healthz",
    readiness: "/healthz/readiness",
    resources: worker ? sized("250m", "512Mi", "2", "2Gi") : sized("250m", "512Mi", "1", "1Gi"),
    runAsUser: RUN_AS_USER,
    env: {
      EXECUTIONS_MODE: "queue",
      N8N_PORT: String(N8N_PORT),
      N8N_HOST: host,
      N8N_PROTOCOL: "https",
      WEBHOOK_URL: `https://${host}/`,
      N8N_DIAGNOSTICS_ENABLED: "false",
      N8N_RUNNERS_ENABLED: "true",
      ...(worker ? { QUEUE_HEALTH_CHECK_ACTIVE: "true" } : {}),
    },
    secretEnv: ["N8N_ENCRYPTION_KEY"],
    connects: ["postgres", "redis"],
    calls: [],
    ...(worker ? {} : { host }),
    externalEgress: true,
    writable: ["/home/node/.n8n"],
  };
}

function python(model: StackModel, server: PythonServer): WorkloadData {
  return {
    name: server.name,
    image: `${model.image}-${server.name}`,
    tagFromConfig: true,
    port: server.port,
    replicas: 1,
    liveness: "/healthz",
    readiness: "/healthz",
    resources: sized("100m", "128Mi", "1", "512Mi"),
    runAsUser: RUN_AS_USER,
    env: {},
    secretEnv: [],
    connects: [],
    calls: [],
    externalEgress: true,
    writable: [],
  };
}

export function topologyOf(model: StackModel): TopologyData {
  const workloads = [gateway(model)];
  if (model.flow.enabled) workloads.push(flow(model));
  if (model.n8n.enabled) workloads.push(n8n(model, false), n8n(model, true));
  for (const server of model.pythonServers) workloads.push(python(model, server));
  return {
    project: model.name,
    source: model.source,
    namespace: model.kubernetes.namespace,
    domain: model.domain,
    dataServices: used(model, ["postgres", "redis", "nats"]),
    dataImages: { postgres: IMAGES.postgres, redis: IMAGES.redis, nats: IMAGES.nats },
    secrets: secretKeys(model),
    workloads,
  };
}

/** deploy/pulumi/topology.ts: the data as a typed constant (JSON is valid TypeScript). */
export function topologySource(model: StackModel): string {
  const data = JSON.stringify(topologyOf(model), null, 2);
  return `import type { Topology } from "./types.ts";\n\nexport const topology: Topology = ${data};\n`;
}
