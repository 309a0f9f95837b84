/**
 * The deployment model: what every generator renders, derived once from
 * `sophia.yaml` (its `deploy` section, servers and flows) by `deploy-config.ts`.
 * Generators are pure functions of this model, so the same model always
 * gives the same bytes.
 */

export type Environment = "dev" | "prod";

/** One file a generator writes, relative to the output folder, with `/` separators. */
export interface GeneratedFile {
  path: string;
  content: string;
  /** Marks scripts (mode 0755). */
  executable?: boolean;
  /**
   * Written only for this environment (`sophia stack generate --env`); absent
   * means every environment. Files from renderPulumi without it count as prod.
   */
  env?: Environment;
}

/** A Python MCP server scaffolded by `sophia stack new-server --python`, built with uv. */
export interface PythonServer {
  name: string;
  /** Folder holding its pyproject.toml, relative to the project root. */
  path: string;
  port: number;
}

export interface StackModel {
  /** Project name: Compose project, image names, Kubernetes labels. Lowercase, [a-z0-9-]. */
  name: string;
  /** The configuration file the model came from, named in every generated header. */
  source: string;
  /** Image repository for Sophia itself, e.g. "ghcr.io/acme/sophia". */
  image: string;
  /** Registry host part of `image`, for login steps and cache refs. */
  registry: string;
  /** Pinned Node.js base image tag, e.g. "24.11.1-bookworm-slim". */
  nodeImage: string;
  /** Pinned Python base image tag for uv servers, e.g. "3.12-slim-bookworm". */
  pythonImage: string;
  gateway: { port: number; replicas: number };
  /** True when `flows` is not empty: a flow service and its data services are deployed. */
  flow: { enabled: boolean; replicas: number };
  /** Which data services the configuration needs. */
  services: { postgres: boolean; redis: boolean; nats: boolean };
  n8n: { enabled: boolean; workers: number; image: string };
  /** Public host name Traefik routes to the gateway (and n8n at n8n.<domain>). */
  domain: string;
  /** Email for Let's Encrypt in prod. */
  acmeEmail: string;
  pythonServers: PythonServer[];
  kubernetes: { namespace: string; minReplicas: number; maxReplicas: number };
  pulumi: { project: string; stack: string; escEnvironment: string };
  /** Docker Build Cloud builder, "<org>/<builder>". */
  buildCloud: { endpoint: string };
  platforms: string[];
  /** Secret names the stack needs (values come from Compose secrets, ESC or the CI store; never from here). */
  secrets: string[];
}
