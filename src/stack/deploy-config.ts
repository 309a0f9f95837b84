/**
 * sophia.yaml → StackModel: validates the `deploy` section and fills every
 * default, so generators never decide anything themselves.
 */
import { type SophiaConfig, validateSection } from "../config/index.ts";
import { DEPLOY_KEYS, type DeploySection, deploySchema } from "./deploy-schema.ts";
import { IMAGES, n8nImage } from "./images.ts";
import type { PythonServer, StackModel } from "./model.ts";
import { configNeeds, type Needs } from "./needs.ts";

export interface StackModelOptions {
  /** The configuration file as named in generated headers, relative to the project root. */
  source: string;
  /** `${NAME}` variables the configuration reads: each becomes a secret of the gateway and flow. */
  variables?: readonly string[];
}

const DEFAULT_PORT = 8000;

/** @throws ConfigError (CONFIG_INVALID) pointing at the `deploy` key that is wrong. */
export function stackModel(config: SophiaConfig, options: StackModelOptions): StackModel {
  const deploy = validateSection(config, ["deploy"], config.deploy, deploySchema, DEPLOY_KEYS);
  const needs = configNeeds(config);
  const name = deploy.name ?? "sophia";
  const owner = deploy.owner ?? "your-org";
  const image = deploy.image ?? `ghcr.io/${owner}/${name}`;
  const replicas = deploy.replicas ?? 2;
  const domain = deploy.domain ?? "sophia.localhost";
  const n8n = n8nSettings(deploy, needs);
  const services = {
    postgres: needs.flows || needs.pgvector || needs.knowledge || n8n.enabled,
    redis: true,
    nats: needs.nats || deploy.distributed === true,
  };
  return {
    name,
    source: options.source,
    image,
    registry: image.split("/")[0] ?? "ghcr.io",
    nodeImage: deploy.nodeImage ?? IMAGES.node,
    pythonImage: deploy.pythonImage ?? IMAGES.python,
    gateway: { port: config.gateway.port === 0 ? 8080 : config.gateway.port, replicas },
    flow: { enabled: needs.flows, replicas: deploy.flowReplicas ?? 1 },
    services,
    n8n,
    domain,
    acmeEmail: deploy.acmeEmail ?? `admin@${domain}`,
    pythonServers: pythonServers(deploy),
    kubernetes: {
      namespace: deploy.kubernetes?.namespace ?? name,
      minReplicas: deploy.kubernetes?.minReplicas ?? replicas,
      maxReplicas: deploy.kubernetes?.maxReplicas ?? Math.max(10, replicas),
    },
    pulumi: {
      project: deploy.pulumi?.project ?? name,
      stack: deploy.pulumi?.stack ?? "prod",
      escEnvironment: deploy.pulumi?.escEnvironment ?? `${name}/prod`,
    },
    buildCloud: { endpoint: deploy.buildCloud ?? `${owner}/${name}` },
    platforms: deploy.platforms ?? ["linux/amd64", "linux/arm64"],
    secrets: secretNames(deploy, services, n8n.enabled, options.variables ?? []),
  };
}

function n8nSettings(deploy: DeploySection, needs: Needs): StackModel["n8n"] {
  const section = typeof deploy.n8n === "object" ? deploy.n8n : undefined;
  const enabled =
    typeof deploy.n8n === "boolean" ? deploy.n8n : (section?.enabled ?? section !== undefined);
  return {
    enabled: enabled || needs.n8nWebhook,
    workers: section?.workers ?? 2,
    image: n8nImage(section?.version ?? IMAGES.n8nVersion),
  };
}

function pythonServers(deploy: DeploySection): PythonServer[] {
  return (deploy.pythonServers ?? [])
    .map((entry) => ({
      name: entry.name,
      path: trimSlashes(entry.path ?? `servers/${entry.name}`),
      port: entry.port ?? DEFAULT_PORT,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Sorted, without duplicates: the secret list decides file order in several generators. */
function secretNames(
  deploy: DeploySection,
  services: StackModel["services"],
  n8n: boolean,
  variables: readonly string[],
): string[] {
  const names = new Set<string>([...(deploy.secrets ?? []), ...variables.map(secretName)]);
  if (services.postgres) names.add("postgres_password");
  if (services.redis) names.add("redis_password");
  if (n8n) {
    names.add("n8n_encryption_key");
    names.add("n8n_runners_auth_token");
  }
  return [...names].sort();
}

/** `SEARCH_TOKEN` → `search_token`: Compose secret names are lowercase by convention. */
export function secretName(variable: string): string {
  return variable.toLowerCase();
}

/** `search_token` → `SEARCH_TOKEN`: the variable the entrypoint fills from `SEARCH_TOKEN_FILE`. */
export function secretVariable(secret: string): string {
  return secret.toUpperCase();
}

function trimSlashes(path: string): string {
  return path.replace(/^\.\//, "").replace(/\/+$/, "");
}
